#!/usr/bin/env bash
# What the tests need beyond Node, MariaDB and Redis: Debian's Chromium and a Chinese font for the
# browser tests (readable screenshots), poppler-utils and zbar-tools, with which the PDF checks
# read rendered text and barcodes back, and LibreOffice Calc, which prints the XLSX exports to PDF
# so their checks count pages as a user would. Installs what is missing with apt when root; otherwise says
# what to run. CHROMIUM_PATH points the browser tests at another Chromium build.
set -euo pipefail

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [[ -n "${CHROMIUM_PATH:-}" && ! -x "$CHROMIUM_PATH" ]]; then
  echo "[setup] CHROMIUM_PATH=$CHROMIUM_PATH is not an executable" >&2
  exit 1
fi

packages=()
[[ -x "$chromium" ]] || packages+=(chromium)
command -v fc-list >/dev/null && [[ -n "$(fc-list :lang=zh family)" ]] || packages+=(fonts-wqy-microhei)
command -v pdftotext >/dev/null && command -v pdftoppm >/dev/null || packages+=(poppler-utils)
command -v zbarimg >/dev/null || packages+=(zbar-tools)
command -v soffice >/dev/null || packages+=(libreoffice-calc-nogui)
((${#packages[@]} == 0)) && exit 0

if [[ $(id -u) -ne 0 ]]; then
  echo "[setup] the tests need: sudo apt-get install -y ${packages[*]}" >&2
  exit 1
fi
echo "[setup] installing ${packages[*]} (apt) for the tests"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq "${packages[@]}" >/dev/null ||
  { apt-get update -qq && apt-get install -y -qq "${packages[@]}" >/dev/null; }
echo "[setup] test tools ready: $("$chromium" --version)"
