#!/usr/bin/env bash
# The spam-score test runs Debian's SpamAssassin with its shipped rules, offline (never sa-update, never the network).
set -u
if [ -x /usr/bin/spamassassin ]; then exit 0; fi
echo "spamassassin is missing; installing Debian's package for the spam-score test..."
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq spamassassin >/dev/null) || true
fi
if [ ! -x /usr/bin/spamassassin ]; then
  echo "ERROR: the spam-score test (tests/worker/test_spam_score.py) needs Debian's spamassassin at /usr/bin/spamassassin (apt-get install spamassassin)." >&2
  exit 1
fi
