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


def test_it_leaves_a_message_missing_from_the_table_untranslated_rather_than_keeping_the_guess_of_makemessages(tmp_path):
    import po_fill

    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n'
        'msgid "Known."\nmsgstr ""\n\n'
        '#, fuzzy\n#| msgid "Digest not sent: %(subject)s"\n'
        'msgid "A digest needs a subject."\nmsgstr "Lettre non envoyée : %(subject)s"\n\n'
        '#, fuzzy, python-format\nmsgid "%(counter)s reader"\nmsgid_plural "%(counter)s readers"\n'
        'msgstr[0] "%(counter)s abonné"\nmsgstr[1] "%(counter)s abonnés"\n'
    )

    missing = po_fill.fill(po, 0, {"Known.": ("Connu.", "معروف.")}, {})

    assert missing == ["%(counter)s reader", "A digest needs a subject."]
    assert messages._catalogue(po) == {"Known.": "Connu."}
    assert "fuzzy" not in po.read_text()
