#!/usr/bin/env bash
# Installs everything the app and its tests need on a fresh Debian machine (run as root):
# system packages (WeasyPrint's libraries, fonts with Vietnamese glyphs, poppler, chromium)
# and a Python virtual environment in .venv with the pinned requirements.
set -euo pipefail
cd "$(dirname "$0")/.."

SYSTEM_PACKAGES=(
  # WeasyPrint (PDF annexes)
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1
  # Fonts with every Vietnamese letter (fonts-liberation lacks most of them; liberation2 has them)
  fonts-liberation2 fonts-dejavu-core
  # pdftoppm / pdfsig for checking PDFs; chromium for the browser tests; LibreOffice Calc to test
  # that an offline form saved by LibreOffice reads back the same
  poppler-utils chromium libreoffice-calc-nogui
)

missing=()
for pkg in "${SYSTEM_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Cần quyền root để cài các gói hệ thống: ${missing[*]}" >&2
    exit 1
  fi
  echo "Cài các gói hệ thống: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
