#!/usr/bin/env bash
# Re-extract the editorial strings (this app plus the admin frame templates in templates/admin/), fill
# the French and Arabic catalogues from translate.py and compile them. The .mo files are committed
# because CI machines may lack gettext.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)/.."
mkdir -p _frame
trap 'rm -rf _frame' EXIT
for page in base_site index; do
  ln -sf "../../templates/admin/$page.html" "_frame/$page.html"
done
"$ROOT/.venv/bin/python" "$ROOT/manage.py" makemessages -l fr -l ar --symlinks --no-obsolete --no-location
"$ROOT/.venv/bin/python" locale/translate.py
