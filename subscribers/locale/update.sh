#!/usr/bin/env bash
# Re-extract the audience strings (this app plus its page templates in templates/pages/), fill the
# French and Arabic catalogues from translate.py and compile them. The .mo files are committed
# because CI machines may lack gettext.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)/.."
mkdir -p _pages
trap 'rm -rf _pages' EXIT
for page in subscribe subscribe_sent subscribe_limited link_invalid confirm unsubscribe preferences; do
  ln -sf "../../templates/pages/$page.html" "_pages/$page.html"
done
"$ROOT/.venv/bin/python" "$ROOT/manage.py" makemessages -l fr -l ar --symlinks --no-obsolete
"$ROOT/.venv/bin/python" locale/translate.py
