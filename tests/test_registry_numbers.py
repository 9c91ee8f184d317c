import pytest

from conference.events import registry_numbers as rn


@pytest.mark.parametrize("number", [
    "202100-2114",   # Arbetsförmedlingen
    "202100-2163",   # Migrationsverket
    "232100-0131",   # Västra Götalandsregionen
    "2021002114",    # without the hyphen
    "556016-0680",   # a limited company
])
def test_valid_organisationsnummer_is_accepted(number):
    assert rn.is_valid_organisationsnummer(number)
    assert rn.parse(number).country == "SE"


@pytest.mark.parametrize("number", [
    "202100-2115",   # wrong check digit
    "202100-211",    # too short
    "20210021145",   # too long
    "190101-0007",   # Luhn-valid, but a third digit below 2 makes it a personal identity number
    "ABCDEF-GHIJ",
])
def test_invalid_organisationsnummer_is_refused(number):
    assert not rn.is_valid_organisationsnummer(number)
    with pytest.raises(rn.InvalidRegistryNumber):
        rn.parse(number)


@pytest.mark.parametrize("number", [
    "0112038-9",     # Nokia Oyj
    "1572860-0",
    "0201256-6",
    "112038-9",      # an old six-digit form takes a leading zero
])
def test_valid_y_tunnus_is_accepted(number):
    assert rn.is_valid_y_tunnus(number)
    assert rn.parse(number).country == "FI"


@pytest.mark.parametrize("number", [
    "0112038-8",     # wrong check digit
    "1572860-1",
    "01120389",      # the hyphen is part of the format
    "0000006-0",     # remainder 1: no check digit makes this valid
])
def test_invalid_y_tunnus_is_refused(number):
    assert not rn.is_valid_y_tunnus(number)


def test_numbers_are_normalised():
    assert rn.parse(" 2021002114 ").normalised == "202100-2114"
    assert rn.parse("112038-9").normalised == "0112038-9"


def test_a_personal_identity_number_passes_luhn_but_is_no_organisation():
    assert rn.luhn_valid("1901010007")
    assert not rn.is_valid_organisationsnummer("190101-0007")


def test_check_digit_follows_the_published_weights():
    # 7*0 + 9*1 + 10*1 + 5*2 + 8*0 + 4*3 + 2*8 = 57; 57 % 11 = 2; 11 - 2 = 9
    assert rn.y_tunnus_check_digit("0112038") == 9
    assert rn.y_tunnus_check_digit("0000006") is None


def test_digits_from_other_scripts_are_refused():
    assert not rn.is_valid_organisationsnummer("５５６０１６-０６８０")
    assert not rn.is_valid_y_tunnus("０１１２０３８-９")
