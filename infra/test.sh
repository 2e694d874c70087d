#!/usr/bin/env bash
# make test: a throwaway PostgreSQL, swift test, cleanup; then the short fault-injection run (infra/chaos.sh
# --short: 3 kills of the server and a 10 s PostgreSQL outage on its own PostgreSQL; skip it with CHAOS_SKIP=1),
# then the web checks (infra/web-checks.sh; skip them with WEB_CHECKS_SKIP=1).
set -euo pipefail
cd "$(dirname "$0")/.."
port=${TEST_PG_PORT:-54339}
data=$(mktemp -d /tmp/chancery-test-pg.XXXXXX)
cleanup() { bash infra/postgres/pg-local.sh stop "$data" >/dev/null 2>&1 || true; rm -rf "$data"; }
trap cleanup EXIT
bash infra/postgres/pg-local.sh start "$data" "$port" >/dev/null
export CHANCERY_TEST_DATABASE_URL="postgresql://postgres@127.0.0.1:$port/chancery"
swift test
if [ "${CHAOS_SKIP:-0}" != 1 ]; then
  swift build
  CHANCERY_BIN=$(swift build --show-bin-path)/chancery bash infra/chaos.sh --short
fi
# The web checks (scripts/webchecks/*.py: API fuzzing, headless Chromium) on one server with the scenario loaded.
if [ "${WEB_CHECKS_SKIP:-0}" != 1 ] && compgen -G "scripts/webchecks/*.py" >/dev/null; then
  swift build
  CHANCERY_BIN=$(swift build --show-bin-path)/chancery WEB_CHECKS_SHORT=1 bash infra/web-checks.sh
fi
