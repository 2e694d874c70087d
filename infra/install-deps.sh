#!/usr/bin/env bash
# Installs what Chancery needs on Debian 12 and is missing: the C libraries it links (librdkafka, libpq),
# the PostgreSQL server, kcat (to look at the embedded broker) and curl; Chromium and Selenium for the web checks. Run as root.
set -euo pipefail
need=()
for pkg in librdkafka-dev libpq-dev postgresql kcat curl pkg-config; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
if ! command -v python3 >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3 python3-pip >/dev/null
fi
# The schema corpus test checks Swift's validator against Python's jsonschema (draft 2020-12, formats).
if ! python3 -c 'import jsonschema, rfc3339_validator' >/dev/null 2>&1; then
  python3 -m pip install -q jsonschema rfc3339-validator 2>/dev/null \
    || python3 -m pip install -q --break-system-packages jsonschema rfc3339-validator
fi
# The API documents test validates schemas/openapi.yaml and schemas/asyncapi.yaml with PyPI tools.
if ! python3 -c 'import openapi_spec_validator, yaml, jsonschema, referencing' >/dev/null 2>&1; then
  python3 -m pip install -q -r scripts/requirements-api-docs.txt 2>/dev/null \
    || python3 -m pip install -q --break-system-packages -r scripts/requirements-api-docs.txt
fi
# The verifiable-log test checks Chancery's checkpoints and proofs with scripts/verify-tlog.py (hashlib + cryptography).
if ! python3 -c 'import cryptography.hazmat.primitives.asymmetric.ed25519' >/dev/null 2>&1; then
  python3 -m pip install -q cryptography 2>/dev/null \
    || python3 -m pip install -q --break-system-packages cryptography
fi
# The calendar agreement test checks every day of the bundled CN calendar against chinese-calendar (pinned).
if ! python3 -c 'import chinese_calendar, holidays' >/dev/null 2>&1; then
  python3 -m pip install -q -r scripts/requirements-calendars.txt 2>/dev/null \
    || python3 -m pip install -q --break-system-packages -r scripts/requirements-calendars.txt
fi
# The dashboard's charts (Chart.js, served from /usr/share/javascript/chart.js) and its web check (headless Chromium with
# its driver, CJK fonts for the screenshots, Selenium pinned in scripts/requirements-web-checks.txt).
web=()
for pkg in libjs-chart.js chromium chromium-driver fonts-noto-cjk; do
  dpkg -s "$pkg" >/dev/null 2>&1 || web+=("$pkg")
done
if [ ${#web[@]} -gt 0 ]; then
  echo "installing: ${web[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${web[@]}" >/dev/null
fi
# The API fuzzing of the web checks: schemathesis (pinned in the same file).
if ! python3 -c 'import selenium, schemathesis' >/dev/null 2>&1; then
  python3 -m pip install -q -r scripts/requirements-web-checks.txt 2>/dev/null \
    || python3 -m pip install -q --break-system-packages -r scripts/requirements-web-checks.txt
fi
if ! command -v swift >/dev/null 2>&1; then
  echo "swift is not on PATH: Chancery needs Swift 6 (https://www.swift.org/install/linux/)" >&2
  exit 1
fi
