#!/usr/bin/env bash
# Installs what building, running and testing need, from Debian 12 packages only.
# Idempotent and quick when everything is present: apt-get runs only for what is missing.
set -euo pipefail

packages=(
  g++ make cmake pkg-config git ca-certificates curl openssl clang clang-format libclang-rt-14-dev
  libfcgi-dev libcpp-httplib-dev libwebsocketpp-dev libasio-dev libssl-dev libmariadb-dev
  libcereal-dev libgtest-dev libsodium-dev
  mariadb-server mariadb-client nginx coturn wrk logrotate
  chromium firefox-esr fonts-dejavu-core
)
# The machine image ships Node.js (for the browser tests); Debian's only where it is missing.
command -v node >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# The browser tests' npm packages, exactly as locked (playwright-core never downloads a browser:
# the tests drive Debian's chromium). Skipped when node_modules already matches the lock.
root=$(cd "$(dirname "$0")/.." && pwd)
if [ ! "$root/node_modules/.package-lock.json" -nt "$root/package-lock.json" ]; then
  echo "deps: npm ci"
  (cd "$root" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi
# Debian starts the packaged services on install where it can; this product runs its own.
echo "deps: all present"
