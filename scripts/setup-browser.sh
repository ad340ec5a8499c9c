#!/usr/bin/env bash
# The web tests drive Debian's Chromium, and their screenshots need a Chinese font. Installs both
# with apt when missing and we are root; otherwise says what to run. CHROMIUM_PATH points the tests
# at another Chromium build.
set -euo pipefail

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [[ -n "${CHROMIUM_PATH:-}" && ! -x "$CHROMIUM_PATH" ]]; then
  echo "[setup] CHROMIUM_PATH=$CHROMIUM_PATH is not an executable" >&2
  exit 1
fi

packages=()
[[ -x "$chromium" ]] || packages+=(chromium)
command -v fc-list >/dev/null && [[ -n "$(fc-list :lang=zh family)" ]] || packages+=(fonts-wqy-microhei)
((${#packages[@]} == 0)) && exit 0

if [[ $(id -u) -ne 0 ]]; then
  echo "[setup] the web tests need: sudo apt-get install -y ${packages[*]}" >&2
  exit 1
fi
echo "[setup] installing ${packages[*]} (apt) for the web tests"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq "${packages[@]}" >/dev/null ||
  { apt-get update -qq && apt-get install -y -qq "${packages[@]}" >/dev/null; }
echo "[setup] Chromium ready: $("$chromium" --version)"
