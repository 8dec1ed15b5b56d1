"""The one command for the interface's translations: `python scripts/messages.py` (or `make messages`).

For every app it extracts the msgids (makemessages: the app's code and templates plus the project templates
listed in PROJECT_TEMPLATES), fills the French and Arabic catalogues from the app's locale/translate.py
table (scripts/po_fill.py) and compiles the .mo files; it prints every msgid the table lacks.
tests/config/test_translations.py uses `extracted_msgids` on a temporary copy, so a test fails when a
message in the code has no translation. Needs gettext (xgettext, msgfmt, msgen).
"""

from __future__ import annotations

import gettext
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = ("newsletter", "subscribers", "editorial", "worker", "operations", "organisations", "desk")
LANGUAGES = ("fr", "ar")
# Templates under templates/ are translated by the app whose views render them.
PROJECT_TEMPLATES = {
    "editorial": ["admin/base_site.html", "admin/index.html"],
    "subscribers": [f"pages/{name}.html" for name in (
        "subscribe", "subscribe_sent", "subscribe_limited", "link_invalid", "confirm", "unsubscribe", "preferences",
        "unsubscribe_all", "error")] + ["404.html", "403.html", "500.html"],
    "newsletter": ["emails/digest.html", "pages/archive_list.html", "pages/archive_detail.html", "pages/test_link.html"],
    "worker": ["emails/breaker.txt", "emails/breaker_subject.txt"],
    "operations": ["pages/outbox_list.html", "pages/outbox_detail.html", "pages/base.html"],
}
_MAKEMESSAGES = ["makemessages", "--no-obsolete", "--no-location", "--symlinks", "-e", "html,txt,py",
                 *(arg for language in LANGUAGES for arg in ("-l", language))]


def _makemessages(app_dir: Path, app: str) -> None:
    """Run makemessages in `app_dir` (the app or a copy of it) with the project templates it translates."""
    linked = app_dir / "_project_templates"
    linked.mkdir(exist_ok=True)
    try:
        for template in PROJECT_TEMPLATES.get(app, []):
            target = linked / template.replace("/", "__")
            if not target.exists():
                target.symlink_to(ROOT / "templates" / template)
        subprocess.run([sys.executable, str(ROOT / "manage.py"), *_MAKEMESSAGES], cwd=app_dir, check=True,
                       stdout=subprocess.DEVNULL)
    finally:
        shutil.rmtree(linked)


def _catalogue(po: Path, *, every_msgid: bool = False) -> dict:
    """The catalogue msgfmt compiles from `po`: only translated, non-fuzzy entries; with every_msgid, each
    msgid translated by itself (msgen), so the keys are every msgid of the file."""
    with tempfile.TemporaryDirectory() as tmp:
        source = po
        if every_msgid:
            source = Path(tmp) / "en.po"
            subprocess.run(["msgen", "-o", str(source), str(po)], check=True)
        mo = Path(tmp) / "out.mo"
        subprocess.run(["msgfmt", "-o", str(mo), str(source)], check=True)
        return _mo_catalogue(mo)


def _mo_catalogue(mo: Path) -> dict:
    with mo.open("rb") as handle:
        catalogue = dict(gettext.GNUTranslations(handle)._catalog)
    catalogue.pop("", None)  # the header
    return catalogue


def _key_msgid(key) -> str:
    msgid = key[0] if isinstance(key, tuple) else key
    return msgid.replace("\x04", "|")  # a context is shown as translate.py keys it: "context|msgid"


def extracted_msgids(app: str) -> set[str]:
    """Every msgid of the app's code and templates, extracted from a temporary copy of the app."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / app
        shutil.copytree(ROOT / app, copy, ignore=shutil.ignore_patterns("locale", "__pycache__", "_project_templates"))
        for language in LANGUAGES:
            (copy / "locale" / language / "LC_MESSAGES").mkdir(parents=True)
        _makemessages(copy, app)
        po = copy / "locale" / LANGUAGES[0] / "LC_MESSAGES" / "django.po"
        return {_key_msgid(key) for key in _catalogue(po, every_msgid=True)} if po.exists() else set()


def translated_msgids(app: str, language: str) -> set[str]:
    """The msgids the app's committed catalogue translates (non-empty, not fuzzy)."""
    po = ROOT / app / "locale" / language / "LC_MESSAGES" / "django.po"
    if not po.exists():
        return set()
    return {_key_msgid(key) for key, text in _catalogue(po).items() if text}


def compiled_matches_source(app: str, language: str) -> bool:
    """Whether the committed .mo holds exactly what its .po compiles to."""
    po = ROOT / app / "locale" / language / "LC_MESSAGES" / "django.po"
    return _mo_catalogue(po.with_suffix(".mo")) == _catalogue(po)


def update(apps: tuple[str, ...] = APPS) -> None:
    for app in apps:
        print(f"== {app}")
        for language in LANGUAGES:
            (ROOT / app / "locale" / language / "LC_MESSAGES").mkdir(parents=True, exist_ok=True)
        _makemessages(ROOT / app, app)
        subprocess.run([sys.executable, str(ROOT / app / "locale" / "translate.py")], check=True)


if __name__ == "__main__":
    update(tuple(sys.argv[1:]) or APPS)
