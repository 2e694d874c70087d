#!/usr/bin/env bash
# make chaos: a throwaway PostgreSQL, an admin token, then scripts/chaos.py: the reference scenario through
# POST /v1/events while the server is killed with SIGKILL at random instants (50 by default) and PostgreSQL
# is stopped for 30 s; then 0 lost, 0 duplicated and every read model equal to a clean replay of the log.
#
#   bash infra/chaos.sh [--short]     --short (or CHAOS_SHORT=1): 8,000 events, 3 kills, a 10 s outage (make test)
#
# Environment: CHANCERY_BIN (default: swift build, then its bin path), CHAOS_PG_PORT (54361),
# CHAOS_HTTP_PORT (18361; the replay server uses the next port), CHAOS_SEED, CHAOS_KILLS, CHAOS_BATCH (500),
# CHAOS_LIMIT (events; 0 = all), CHAOS_PG_OUTAGE (seconds; 0 = none), CHAOS_KILL_MAX_DELAY (2 s),
# CHAOS_EVENTS (a CloudEvents JSON Lines file instead of `chancery demo --output`),
# CHAOS_LOGS (a folder to keep the server logs in; default .data/chaos).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

short=${CHAOS_SHORT:-0}
for arg in "$@"; do
  case "$arg" in
    --short) short=1 ;;
    *) echo "usage: $0 [--short]" >&2; exit 2 ;;
  esac
done
export CHAOS_SHORT=$short

if [ -z "${CHANCERY_BIN:-}" ]; then
  echo "building (the first build takes a few minutes) …"
  swift build
  CHANCERY_BIN=$(swift build --show-bin-path)/chancery
fi
[ -x "$CHANCERY_BIN" ] || { echo "chaos: no chancery binary at $CHANCERY_BIN" >&2; exit 1; }
export CHANCERY_BIN

pg_port=${CHAOS_PG_PORT:-54361}
work=$(mktemp -d /tmp/chancery-chaos.XXXXXX)
logs=${CHAOS_LOGS:-$root/.data/chaos}
data="$work/pg"
export CHAOS_WORK="$work" CHAOS_PG_DATA="$data" CHAOS_PG_PORT="$pg_port" CHAOS_PID_FILE="$work/pids"
: > "$CHAOS_PID_FILE"

driver=""
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -n "$driver" ] && kill -0 "$driver" 2>/dev/null; then kill -TERM "$driver" 2>/dev/null || true; wait "$driver" 2>/dev/null || true; fi
  # Servers the driver started (it kills them itself; this is for an interrupted driver).
  while read -r pid; do
    [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null || true
  done < "$CHAOS_PID_FILE"
  bash infra/postgres/pg-local.sh stop "$data" >/dev/null 2>&1 || true
  mkdir -p "$logs" && cp "$work"/*.log "$logs"/ 2>/dev/null || true
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

bash infra/postgres/pg-local.sh start "$data" "$pg_port" >/dev/null
db_url="postgresql://postgres@127.0.0.1:$pg_port/chancery"
echo "chaos: PostgreSQL $db_url (data in $data)"
CHAOS_TOKEN=$("$CHANCERY_BIN" tokens add --database-url "$db_url" --role admin --description "make chaos loader" --quiet)
export CHAOS_TOKEN

# Everything stops by itself: the driver has its own deadlines; this is the outer bound.
if [ "$short" = 1 ]; then limit=${CHAOS_TIMEOUT:-170}; else limit=${CHAOS_TIMEOUT:-7200}; fi
timeout -k 15 "$limit" python3 scripts/chaos.py &
driver=$!
set +e
wait "$driver"
rc=$?
set -e
driver=""
[ "$rc" = 124 ] && echo "chaos: stopped after $limit s (CHAOS_TIMEOUT)" >&2
echo "chaos: server logs in $logs"
exit "$rc"
