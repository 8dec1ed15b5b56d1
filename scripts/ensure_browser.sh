#!/usr/bin/env bash
# Browser tests drive Debian's chromium with Playwright (never `playwright install`).
set -u
if [ -x /usr/bin/chromium ]; then exit 0; fi
echo "chromium is missing; installing Debian's package for the browser tests..."
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || true
fi
if [ ! -x /usr/bin/chromium ]; then
  echo "ERROR: the browser tests need Debian's chromium at /usr/bin/chromium (apt-get install chromium)." >&2
  exit 1
fi
