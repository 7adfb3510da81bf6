#!/usr/bin/env bash
# Set up a fresh machine: LibreOffice, poppler and fonts for PDF (Symbola draws the emoji and
# symbols that Liberation and DejaVu lack; fontconfig's fc-list tells which characters no font
# has), Voikko (Finnish morphology, for the wording check), Chromium and its driver (the
# workbench's browser tests), then a virtual environment with the project and its pinned
# dependencies, and the accessibility checker (axe-core) the browser tests load into pages.
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

voikko_missing() {  # the library (libvoikko1) or the Finnish dictionary (voikko-fi)
  ! compgen -G '/usr/lib/*/libvoikko.so.1' >/dev/null || [ ! -f /usr/lib/voikko/5/mor-standard/mor.vfst ]
}

if ! command -v soffice >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1 || voikko_missing \
  || ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1 \
  || ! command -v fc-list >/dev/null 2>&1 || [ ! -f /usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq \
    libreoffice-writer-nogui poppler-utils fonts-liberation2 fonts-dejavu-core fonts-symbola \
    fontconfig libcairo2 \
    libvoikko1 voikko-fi chromium chromium-driver chromium-l10n >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]"

if [ ! -f tests/browser/node_modules/axe-core/axe.min.js ] && command -v npm >/dev/null 2>&1; then
  npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
fi
