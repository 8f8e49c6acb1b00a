#!/usr/bin/env bash
# Real-browser tests: headless Chromium (Debian) driven by Selenium (PyPI) against a real `onspot serve`; the
# several-servers test puts nginx and PostgreSQL (Debian) in front of and behind three `onspot` processes.
set -euo pipefail
cd "$(dirname "$0")/.."
# Several servers (test_several_servers.py) also need PostgreSQL and nginx.
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null || ! command -v nginx >/dev/null \
  || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver nginx-light postgresql >/dev/null
fi
python3 -c "import selenium" 2>/dev/null || python3 -m pip install -q "selenium>=4.20"
python3 -c "import pytest, yaml, openapi_spec_validator, aiosmtpd, pypdf" 2>/dev/null || python3 -m pip install -q pytest pyyaml openapi-spec-validator aiosmtpd pypdf
swift build --product onspot
python3 -m pytest -q e2e "$@"
