"""One address, however typed, is found again under one spelling."""

import pytest

from conference.core.addresses import normalise_email


@pytest.mark.parametrize("typed, normalised", [
    ("anna@example.org", "anna@example.org"),
    ("Anna.Svensson@Example.ORG", "anna.svensson@example.org"),
    ("  anna@example.org \t\n", "anna@example.org"),
    ("ANNA@XN--MLAR-5QA.SE", "anna@xn--mlar-5qa.se"),
])
def test_case_and_surrounding_space_do_not_make_another_address(typed, normalised):
    assert normalise_email(typed) == normalised


def test_normalising_twice_changes_nothing():
    once = normalise_email(" Karin@Tidningen.FI ")
    assert normalise_email(once) == once


def test_what_is_inside_the_address_is_kept():
    assert normalise_email("anna+forum@example.org") == "anna+forum@example.org"
    assert normalise_email("anna.svensson@example.org") != normalise_email("annasvensson@example.org")
