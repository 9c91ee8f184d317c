"""Swedish organisationsnummer and Finnish Y-tunnus: format and check digit."""

import re
from dataclasses import dataclass

SWEDISH = re.compile(r"^([0-9]{6})-?([0-9]{4})$")
FINNISH = re.compile(r"^([0-9]{6,7})-([0-9])$")
Y_TUNNUS_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


@dataclass(frozen=True)
class RegistryNumber:
    country: str  # "SE" or "FI"
    normalised: str


class InvalidRegistryNumber(ValueError):
    pass


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def is_valid_organisationsnummer(number: str) -> bool:
    """Ten digits, the third 2 or more (legal persons), the last a Luhn check digit."""
    match = SWEDISH.match(number.strip())
    if not match:
        return False
    digits = match.group(1) + match.group(2)
    return int(digits[2]) >= 2 and luhn_valid(digits)


def y_tunnus_check_digit(first_seven: str) -> int | None:
    remainder = sum(int(d) * w for d, w in zip(first_seven, Y_TUNNUS_WEIGHTS)) % 11
    if remainder == 0:
        return 0
    if remainder == 1:
        return None  # no valid number has this remainder
    return 11 - remainder


def is_valid_y_tunnus(number: str) -> bool:
    """Seven digits, a hyphen and a check digit (weights 7 9 10 5 8 4 2, modulus 11)."""
    match = FINNISH.match(number.strip())
    if not match:
        return False
    body = match.group(1).zfill(7)  # old six-digit numbers take a leading zero
    return y_tunnus_check_digit(body) == int(match.group(2))


def parse(number: str) -> RegistryNumber:
    """Recognise either number by its form; raise InvalidRegistryNumber if neither fits."""
    cleaned = number.strip().replace(" ", "")
    if FINNISH.match(cleaned):
        if not is_valid_y_tunnus(cleaned):
            raise InvalidRegistryNumber(cleaned)
        body, check = cleaned.split("-")
        return RegistryNumber("FI", f"{body.zfill(7)}-{check}")
    if SWEDISH.match(cleaned):
        if not is_valid_organisationsnummer(cleaned):
            raise InvalidRegistryNumber(cleaned)
        digits = cleaned.replace("-", "")
        return RegistryNumber("SE", f"{digits[:6]}-{digits[6:]}")
    raise InvalidRegistryNumber(cleaned)
