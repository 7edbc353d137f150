#!/usr/bin/env bash
# Make sure the Chromium that the browser tests drive (tests/plugins/browser.py) is installed.
#
# Debian's `chromium` package provides /usr/bin/chromium. Playwright's own browser download is never
# used (`playwright install` cannot download here). As root with apt-get we install it; otherwise we
# say what to run and carry on: the browser tests then FAIL with the same message (they never skip).
set -euo pipefail

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"

if [[ -x "$chromium" ]]; then
    exit 0
fi

if [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null 2>&1 && [[ "$chromium" == /usr/bin/chromium ]]; then
    echo "ensure-chromium: $chromium is missing; installing Debian's chromium package"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium >/dev/null
    "$chromium" --version 2>/dev/null || true
    exit 0
fi

cat >&2 <<MSG
ensure-chromium: WARNING: no Chromium at $chromium, so the browser tests (marked 'browser') will FAIL.
  Debian/Ubuntu: sudo apt-get update && sudo apt-get install -y chromium
  Elsewhere:     install Chromium and run with CHROMIUM_PATH=/path/to/chromium
MSG
