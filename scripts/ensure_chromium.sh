#!/bin/sh
# Browser tests drive the system's Chromium through Playwright (Playwright's own
# browser download is not used). Install it from the distribution when missing.
set -e
if [ -n "${CHROMIUM:-}" ] && [ -x "$CHROMIUM" ]; then exit 0; fi
for name in chromium chromium-browser google-chrome; do
    if command -v "$name" >/dev/null 2>&1; then exit 0; fi
done
if command -v apt-get >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else SUDO="none"; fi
    if [ "$SUDO" != "none" ]; then
        echo "Installing Chromium from Debian for the browser tests..."
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
        exit 0
    fi
fi
cat >&2 <<'MSG'
Chromium is needed for the browser tests and could not be installed automatically.
Install it (Debian/Ubuntu: sudo apt-get install chromium; macOS: brew install --cask chromium)
or set CHROMIUM=/path/to/chromium-or-chrome, then run make test again.
MSG
exit 1
