#!/usr/bin/env bash
# The README's test command: installs from Debian, when missing, the programs the server reads confirmation files with
# (poppler-utils' pdftotext, zxing-cpp-tools' ZXingReader, unzip, and KDE's kitinerary-extractor from
# libkpimitinerary-bin; the tests run them for real), then runs `swift test` with any arguments given
# (`scripts/test.sh --filter DocumentFilesTests`).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v pdftotext >/dev/null || ! command -v ZXingReader >/dev/null || ! command -v unzip >/dev/null \
  || [ ! -x /usr/lib/x86_64-linux-gnu/libexec/kf5/kitinerary-extractor ]; then
  echo "== installing poppler-utils, zxing-cpp-tools, unzip and libkpimitinerary-bin from Debian"
  sudo_if_needed=""
  [ "$(id -u)" = 0 ] || sudo_if_needed="sudo"
  $sudo_if_needed apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_if_needed apt-get install -y -qq poppler-utils zxing-cpp-tools unzip libkpimitinerary-bin >/dev/null
fi
exec swift test "$@"
