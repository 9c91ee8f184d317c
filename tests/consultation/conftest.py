"""The real SMTP server of the registration tests, for the consultation mails."""

from tests.registration.conftest import smtp  # noqa: F401
