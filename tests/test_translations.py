"""Every string a user can see is translated: Swedish first, Finnish too."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parent.parent / "conference" / "translations"


def catalogue(language: str):
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle)


def template_ids() -> set[str]:
    with open(TRANSLATIONS / "messages.pot", "rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


@pytest.mark.parametrize("language", ["sv", "fi"])
def test_every_message_is_translated_and_none_is_fuzzy(language):
    messages = [m for m in catalogue(language) if m.id]
    untranslated = [m.id for m in messages if not (m.string if isinstance(m.string, str) else all(m.string))]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert untranslated == [] and fuzzy == []


@pytest.mark.parametrize("language", ["sv", "fi"])
def test_the_catalogue_holds_every_message_of_the_template(language):
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue(language) if m.id}
    assert template_ids() - ids == set()


@pytest.mark.parametrize("language", ["sv", "fi"])
def test_placeholders_survive_translation(language):
    import re

    placeholder = re.compile(r"%\(\w+\)[sd]")
    for m in catalogue(language):
        if not m.id or isinstance(m.id, tuple):
            continue
        assert sorted(placeholder.findall(m.id)) == sorted(placeholder.findall(m.string)), m.id


def test_the_template_is_up_to_date_with_the_code(tmp_path, monkeypatch):
    """A string marked in code or templates but missing from messages.pot would go untranslated."""
    from babel.messages.frontend import CommandLineInterface

    root = TRANSLATIONS.parent.parent
    monkeypatch.chdir(root)  # the patterns in babel.cfg are relative to the project
    output = tmp_path / "fresh.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", str(root / "babel.cfg"), "-k", "_l", "-k",
                                "lazy_gettext", "--no-location", "-o", str(output), "."])
    with open(output, "rb") as handle:
        fresh = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    assert len(fresh) > 200  # the extraction itself worked
    assert fresh - template_ids() == set(), "run `make extract-messages` and translate the new strings"
