#!/usr/bin/env bash
# Installs what Joldama needs on a fresh Debian machine: the system packages the tests use
# (Chromium for end-to-end tests, xmlsec1 and xmllint for signature and canonical XML
# interoperability, PostgreSQL for the portal's second database, OpenSSL, DejaVu fonts, GNU time
# for `npm run bench`, SoftHSM 2 and OpenSC's pkcs11-tool for hardware-token tests, NSIS's makensis
# for the Windows installer's include) and the npm
# dependencies, whose install builds the joldama command (dist/cli).
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

export DEBIAN_FRONTEND=noninteractive
# The Electron binary cannot be downloaded everywhere; the app falls back to browser mode. (Electron
# 45's package fetches it only when asked, `npx install-electron`; the variable covers older ones.)
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
# Native addons (better-sqlite3, pkcs11js) build from source against the system's Node headers.
export npm_config_nodedir=/usr

packages=(chromium xmlsec1 libxml2-utils postgresql openssl fonts-dejavu-core time softhsm2 opensc nsis)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm dependencies"
  npm ci --no-audit --no-fund
fi
echo "setup: ready"
