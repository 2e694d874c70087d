#!/usr/bin/env bash
# make web-checks (and the last part of make test): one throwaway PostgreSQL and one server on the embedded broker
# with the reference scenario and the imported examples loaded, then every check in scripts/webchecks/*.py against
# it (API fuzzing with schemathesis, headless Chromium over the dashboard and the portal, …), then cleanup.
#
#   bash infra/web-checks.sh [check …]     names without .py, e.g. `bash infra/web-checks.sh schemathesis`
#
# Each check is a Python program started with these variables and must exit 0:
#   CHANCERY_URL                 the server, e.g. http://127.0.0.1:18365
#   CHANCERY_ADMIN_TOKEN, CHANCERY_ANALYST_TOKEN, CHANCERY_AUDITOR_TOKEN   bearer tokens of those roles
#   CHANCERY_DATABASE_URL        the server's PostgreSQL (read it to compute expected figures independently)
#   CHANCERY_BIN                 the chancery executable
#   WEB_CHECKS_OUT               a folder for artefacts (screenshots, reports); kept in .data/web-checks
#   WEB_CHECKS_SHORT=1           under make test: bounded example counts
#   SCREENSHOTS=1                under make screenshots: checks that take screenshots save PNGs in $WEB_CHECKS_OUT/screenshots/
# Environment: CHANCERY_BIN (default: swift build, then its bin path), WEB_PG_PORT (54365), WEB_HTTP_PORT (18365),
# WEB_CHECKS_SHORT (1 under make test).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

if [ -z "${CHANCERY_BIN:-}" ]; then
  echo "building (the first build takes a few minutes) …"
  swift build
  CHANCERY_BIN=$(swift build --show-bin-path)/chancery
fi
export CHANCERY_BIN
pg_port=${WEB_PG_PORT:-54365}
http_port=${WEB_HTTP_PORT:-18365}
work=$(mktemp -d /tmp/chancery-web.XXXXXX)
out=${WEB_CHECKS_OUT:-$root/.data/web-checks}
mkdir -p "$out"
export WEB_CHECKS_OUT=$out WEB_CHECKS_SHORT=${WEB_CHECKS_SHORT:-0}
server=""
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then kill -INT "$server" 2>/dev/null || true; sleep 2; kill -KILL "$server" 2>/dev/null || true; fi
  cp "$work/server.log" "$out/server.log" 2>/dev/null || true
  bash infra/postgres/pg-local.sh stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

bash infra/postgres/pg-local.sh start "$work/pg" "$pg_port" >/dev/null
db_url="postgresql://postgres@127.0.0.1:$pg_port/chancery"
export CHANCERY_DATABASE_URL=$db_url CHANCERY_URL="http://127.0.0.1:$http_port"
"$CHANCERY_BIN" server --database-url "$db_url" --http-port "$http_port" --bootstrap-file "$work/bootstrap" \
  --supervision-policy examples/config/supervision-policy.json --report-supplements examples/reports --checkpoint-key "$work/checkpoint.key" 2>"$work/server.log" &
server=$!
for _ in $(seq 1 120); do
  curl -fsS "$CHANCERY_URL/health" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { echo "web-checks: the server stopped:"; tail -20 "$work/server.log"; exit 1; }
  sleep 1
done
CHANCERY_ADMIN_TOKEN=$("$CHANCERY_BIN" tokens add --database-url "$db_url" --role admin --description "web checks" --quiet)
CHANCERY_ANALYST_TOKEN=$("$CHANCERY_BIN" tokens add --database-url "$db_url" --role analyst --description "web checks" --quiet)
CHANCERY_AUDITOR_TOKEN=$("$CHANCERY_BIN" tokens add --database-url "$db_url" --role auditor --description "web checks" --quiet)
export CHANCERY_ADMIN_TOKEN CHANCERY_ANALYST_TOKEN CHANCERY_AUDITOR_TOKEN
echo "web-checks: loading the reference scenario and the Burlington permits into $CHANCERY_URL …"
CHANCERY_TOKEN=$CHANCERY_ADMIN_TOKEN "$CHANCERY_BIN" demo --url "$CHANCERY_URL" --database-url "$db_url" --no-summary >"$work/load.log"
CHANCERY_TOKEN=$CHANCERY_ADMIN_TOKEN "$CHANCERY_BIN" import --url "$CHANCERY_URL" \
  --mapping examples/mappings/burlington-building-permits.json examples/data/burlington-building-permits.csv >>"$work/load.log"

checks=("$@")
if [ ${#checks[@]} -eq 0 ]; then
  for f in scripts/webchecks/*.py; do [ -e "$f" ] && checks+=("$(basename "$f" .py)"); done
fi
failed=()
for check in "${checks[@]}"; do
  echo "web-checks: $check"
  if ! python3 "scripts/webchecks/$check.py"; then failed+=("$check"); fi
done
if [ ${#failed[@]} -gt 0 ]; then echo "web-checks: failed: ${failed[*]} (server log: $out/server.log)" >&2; exit 1; fi
echo "web-checks: ${#checks[@]} passed (artefacts in $out)"
