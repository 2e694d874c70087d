#!/usr/bin/env bash
# make bench: a throwaway PostgreSQL, the benchmarks of Benchmarks/ (package-benchmark, release build), cleanup.
# Arguments go to `swift package benchmark`, e.g. `bash infra/bench.sh --filter 'Domain.*'`.
set -euo pipefail
cd "$(dirname "$0")/.."
# BENCH_PG_PORT, or the first port from 54349 on where nothing listens (the machine may run other servers).
port=${BENCH_PG_PORT:-}
if [[ -z "$port" ]]; then
  for p in $(seq 54349 54399); do
    if ! (: </dev/tcp/127.0.0.1/"$p") 2>/dev/null; then port=$p; break; fi
  done
  [[ -n "$port" ]] || { echo "bench: no free port in 54349-54399; set BENCH_PG_PORT" >&2; exit 1; }
fi
data=$(mktemp -d /tmp/chancery-bench-pg.XXXXXX)
cleanup() { bash infra/postgres/pg-local.sh stop "$data" >/dev/null 2>&1 || true; rm -rf "$data"; }
trap cleanup EXIT
bash infra/postgres/pg-local.sh start "$data" "$port" >/dev/null
export CHANCERY_BENCH_DATABASE_URL="postgresql://postgres@127.0.0.1:$port/chancery"
# The figures of the table (P1, P2, …: each beside its baseline measured in the same iteration).
mkdir -p .data/bench
export CHANCERY_BENCH_FIGURES="$PWD/.data/bench/figures.jsonl"
rm -f "$CHANCERY_BENCH_FIGURES"
(cd Benchmarks && swift package benchmark --no-progress "$@")
python3 scripts/bench-figures.py "$CHANCERY_BENCH_FIGURES" .data/bench/figures.json || true
