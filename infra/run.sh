#!/usr/bin/env bash
# make run: PostgreSQL in .data/pg, the server on the embedded broker, the reference scenario and the
# Burlington permits through the HTTP door, the figures, then the server in the foreground until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
pg_port=${PG_PORT:-54329}
http_port=${HTTP_PORT:-8080}
db_url="postgresql://postgres@127.0.0.1:$pg_port/chancery"
mkdir -p .data/run
bash infra/postgres/pg-local.sh start "$root/.data/pg" "$pg_port" >/dev/null
echo "PostgreSQL: $db_url"

echo "building (the first build takes a few minutes) …"
swift build
bin=$(swift build --show-bin-path)/chancery

rm -f .data/run/bootstrap
"$bin" server --database-url "$db_url" --http-port "$http_port" --bootstrap-file .data/run/bootstrap \
  --supervision-policy examples/config/supervision-policy.json --report-supplements examples/reports \
  --checkpoint-key .data/checkpoint.key 2>.data/run/server.log &
server=$!
stop() {
  trap - TERM EXIT
  # A second Ctrl-C reaches the server as a second SIGINT: it then exits at once (the journal loses nothing).
  trap 'echo " again: stopping at once"; kill -INT "$server" 2>/dev/null || true' INT
  echo; echo "stopping gracefully: the doors refuse writes, the consumers apply what is committed (Ctrl-C again stops at once) …"
  kill -INT "$server" 2>/dev/null || true
  while kill -0 "$server" 2>/dev/null; do wait "$server" 2>/dev/null || true; done
  trap - INT
  bash infra/postgres/pg-local.sh stop "$root/.data/pg" >/dev/null 2>&1 || true
  echo "stopped (the journal and the read models are kept in .data/pg; the next start seeds the embedded broker from the journal)"
}
trap stop INT TERM EXIT

for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$http_port/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server" 2>/dev/null; then echo "the server stopped; see .data/run/server.log:"; tail -20 .data/run/server.log; exit 1; fi
  sleep 1
done
curl -fsS "http://127.0.0.1:$http_port/health" >/dev/null || true
startup=$(grep -o 'startupSeconds=[0-9.]*' .data/run/server.log | tail -1 | cut -d= -f2)
seeded=$(grep -o 'records=[0-9]*' .data/run/server.log | head -1 | cut -d= -f2)
echo "server started in ${startup:-?} s (embedded broker seeded with ${seeded:-0} records from the journal)"

# Tokens for this machine's demo (kept in .data/run; only their digests are stored in auth.tokens).
if [ ! -s .data/run/loader.token ]; then
  "$bin" tokens add --database-url "$db_url" --role admin --description "make run: demo and import loader" --quiet > .data/run/loader.token
fi
if [ ! -s .data/run/analyst.token ]; then
  "$bin" tokens add --database-url "$db_url" --role analyst --description "make run: analyst for curl" --quiet > .data/run/analyst.token
fi
export CHANCERY_TOKEN=$(cat .data/run/loader.token)
analyst=$(cat .data/run/analyst.token)

"$bin" demo --url "http://127.0.0.1:$http_port" --database-url "$db_url" --no-summary
"$bin" import --url "http://127.0.0.1:$http_port" \
  --mapping examples/mappings/burlington-building-permits.json examples/data/burlington-building-permits.csv
echo
"$bin" summary --database-url "$db_url"
cat <<MSG

Chancery is running. Look at:
  Portal     http://127.0.0.1:$http_port/portal   (public, no token; English: ?lang=en; e.g. /portal/430424/disclosure/catalogue)
  API        public:  curl http://127.0.0.1:$http_port/v1/items?region=430405   /v1/disclosures?region=430405
             analyst: curl -H "Authorization: Bearer $analyst" "http://127.0.0.1:$http_port/v1/cases?region=430424&limit=5"
                      curl -H "Authorization: Bearer $analyst" "http://127.0.0.1:$http_port/v1/metrics/departments?region=430424"
                      curl -H "Authorization: Bearer $analyst" "http://127.0.0.1:$http_port/v1/disclosure-requests?region=430424&overdue=true&limit=5"
                      curl -H "Authorization: Bearer $analyst" "http://127.0.0.1:$http_port/v1/metrics/cases?region=430424&groupBy=caseType&period=quarter"
                      curl -H "Authorization: Bearer $analyst" "http://127.0.0.1:$http_port/v1/metrics/ranking?region=430424&quarter=2025-Q3"
             http://127.0.0.1:$http_port/health   http://127.0.0.1:$http_port/metrics
  Dashboard  http://127.0.0.1:$http_port/dashboard   (English: ?lang=en) — log in with the analyst token:
             $analyst
             (tokens: .data/run/analyst.token, .data/run/loader.token; more with: $bin tokens add --help)
  Kafka      kcat -L -b $(cat .data/run/bootstrap)        (embedded broker, seeded from the journal audit.journal at start)
             kcat -C -b $(cat .data/run/bootstrap) -t gov.supervision -e
  PostgreSQL psql $db_url   (try \\dt+ approval.*  or  \\d+ approval.cases)
  Server log .data/run/server.log
Press Ctrl-C to stop.
MSG
wait "$server"
