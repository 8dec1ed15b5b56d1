#!/usr/bin/env bash
# Ensure a Debian package is installed for `make test`: ensure_package.sh PACKAGE PROGRAM WHAT
# (PROGRAM: the file that proves it is installed; WHAT: which tests need it, for the error message).
# Installs with apt-get only when run as root; never another source.
set -u
package="$1" program="$2" what="$3"
if [ -x "$program" ]; then exit 0; fi
echo "$package is missing; installing Debian's package for $what..."
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null) || true
fi
if [ ! -x "$program" ]; then
  echo "ERROR: $what need(s) Debian's $package at $program (apt-get install $package)." >&2
  exit 1
fi
