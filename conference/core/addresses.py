"""E-mail addresses as the rules compare them."""


def normalise_email(address: str) -> str:
    """The spelling under which an address is found again, however it was typed: trimmed, in lower case.

    The part before the @ is lowered too. The standard lets a mail server tell Anna@ from anna@, but
    none that people write from does, and people type either. Every `email_normalised` column holds
    this form, so changing it means rewriting those columns.
    """
    return address.strip().lower()
