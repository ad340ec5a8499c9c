#!/usr/bin/env bash
# The web tests drive Debian's Chromium. Installs it with apt when it is missing and we are root;
# otherwise says what to run. CHROMIUM_PATH points the tests at another Chromium build.
set -euo pipefail

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
[[ -x "$chromium" ]] && exit 0

if [[ -n "${CHROMIUM_PATH:-}" ]]; then
  echo "[setup] CHROMIUM_PATH=$CHROMIUM_PATH is not an executable" >&2
  exit 1
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "[setup] Chromium is missing; install it with: sudo apt-get install -y chromium" >&2
  exit 1
fi
echo "[setup] installing Chromium (apt) for the web tests"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq chromium >/dev/null ||
  { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }
echo "[setup] Chromium ready: $("$chromium" --version)"
