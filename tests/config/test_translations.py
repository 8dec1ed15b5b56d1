"""The editor interface is whole in French and Arabic: every message of the apps has a translation in both
catalogues, and the committed .mo files are what their .po files compile to (scripts/messages.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import messages  # noqa: E402 - the project's translation tooling lives in scripts/


@pytest.mark.parametrize("app", messages.APPS)
def test_it_has_a_french_and_an_arabic_translation_for_every_message_of_the_app(app):
    extracted = messages.extracted_msgids(app)
    assert extracted, f"no message was extracted from {app}: is gettext (xgettext) installed?"
    missing = {language: sorted(extracted - messages.translated_msgids(app, language)) for language in messages.LANGUAGES}
    missing = {language: msgids for language, msgids in missing.items() if msgids}
    assert not missing, (
        f"{app}: messages without a translation (add them to {app}/locale/translate.py, then run "
        f"`python scripts/messages.py {app}`):\n"
        + "\n".join(f"{language}: {msgid!r}" for language, msgids in missing.items() for msgid in msgids)
    )


@pytest.mark.parametrize("app", messages.APPS)
@pytest.mark.parametrize("language", messages.LANGUAGES)
def test_it_ships_compiled_catalogues_that_match_their_sources(app, language):
    assert messages.compiled_matches_source(app, language), (
        f"{app}/locale/{language}/LC_MESSAGES/django.mo is not what django.po compiles to: run `python scripts/messages.py {app}`"
    )
