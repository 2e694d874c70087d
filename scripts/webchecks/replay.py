#!/usr/bin/env python3
"""Web check of point-in-time replay and verify --read-models (issue 11; README "Auditors") on the loaded scenario.

- `chancery replay --as-of 2025-06-30T23:59:59+08:00 --into webcheck_june30` rebuilds every read model from the journal
  up to that instant (business time); the read API with ?replay=webcheck_june30 then gives that date's counts — cases
  accepted and concluded per region and department, cases open — which this script computes itself from the journal's
  events (audit.journal, as appended: each case stream up to its first event after the cutoff).
- ?replay= with a well-formed name that is no replay is 404 problem+json; `chancery report circular --schema` reads the replay.
- `chancery verify --read-models --format json` finds the live read models equal to a rebuild from the log (not in
  short mode, WEB_CHECKS_SHORT=1 under make test: it rebuilds the whole log, about 3 minutes on a busy 2-core machine;
  the Swift suite ReadModelReplayTests covers it on a small log).
- The time of each command is printed (events/s), and the replay is dropped at the end.
Standard library only (urllib, subprocess for psql and chancery). Exits 1 with the reasons on failure.
"""
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

URL = os.environ["CHANCERY_URL"]
ANALYST = os.environ["CHANCERY_ANALYST_TOKEN"]
DB = os.environ["CHANCERY_DATABASE_URL"]
BIN = os.environ["CHANCERY_BIN"]
SHORT = os.environ.get("WEB_CHECKS_SHORT", "0") == "1"
CUTOFF = "2025-06-30T23:59:59+08:00"
NAME = "webcheck_june30"
failures = []


def get(path, token=ANALYST):
    request = urllib.request.Request(URL + path, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=120) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read().decode("utf-8", "replace")


def check(condition, what):
    if not condition:
        failures.append(what)


def psql(sql):
    return subprocess.run(["psql", DB, "-At", "-F", "\t", "-c", sql], check=True, capture_output=True, text=True).stdout.splitlines()


def chancery(*args):
    started = time.monotonic()
    done = subprocess.run([BIN, *args, "--database-url", DB], capture_output=True, text=True)
    return done, time.monotonic() - started


# That date's figures from the journal alone: each case stream up to its first event after the cutoff.
rows = psql(f"""
    WITH e AS (
        SELECT subject, sequence, convert_from(value, 'UTF8')::jsonb AS ev FROM audit.journal WHERE subject LIKE 'case/%'
    ), t AS (
        SELECT subject, sequence, ev ->> 'type' AS type, (ev ->> 'time')::timestamptz AS time, ev ->> 'region' AS region,
               ev -> 'data' ->> 'departmentCode' AS department FROM e
    ), stop AS (
        SELECT subject, min(sequence) FILTER (WHERE time > '{CUTOFF}') AS first_after FROM t GROUP BY subject
    ), kept AS (
        SELECT t.* FROM t JOIN stop USING (subject) WHERE stop.first_after IS NULL OR t.sequence < stop.first_after
    ), per_case AS (
        SELECT subject, max(region) AS region, max(department) AS department,
               bool_or(type = 'gov.approval.case.accepted') AS accepted, bool_or(type = 'gov.approval.case.concluded') AS concluded,
               bool_or(type IN ('gov.approval.case.refused', 'gov.approval.case.withdrawn')) AS ended
        FROM kept GROUP BY subject
    )
    SELECT region, department, count(*) FILTER (WHERE accepted), count(*) FILTER (WHERE concluded),
           count(*) FILTER (WHERE accepted AND NOT concluded AND NOT ended)
    FROM per_case GROUP BY 1, 2 ORDER BY 1, 2""")
expected_accepted, expected_concluded, expected_open = {}, 0, 0
for line in rows:
    region, department, accepted, concluded, open_ = line.split("\t")
    if int(accepted):
        expected_accepted[(region, department)] = int(accepted)
    expected_concluded += int(concluded)
    expected_open += int(open_)
total_events = int(psql("SELECT count(*) FROM audit.journal WHERE subject IS NOT NULL")[0])
check(sum(expected_accepted.values()) > 0 and expected_open > 0, f"the scenario has cases accepted and open on {CUTOFF}")

# The replay.
done, seconds = chancery("replay", "--as-of", CUTOFF, "--into", NAME, "--replace", "--format", "json",
                         "--supervision-policy", "examples/config/supervision-policy.json")
if done.returncode != 0:
    print(f"replay: chancery replay failed ({done.returncode}): {done.stderr[-2000:]}")
    sys.exit(1)
summary = json.loads(done.stdout)
records = summary["summary"]["records"]
print(f"replay: chancery replay as of {CUTOFF}: {records} journal records ({summary['summary']['events']} events applied, "
      f"{summary['summary']['afterCutoff']} after the cutoff) in {seconds:.1f} s, {records / seconds:.0f} records/s")

# The read API reads it.
status, _, body = get(f"/v1/metrics/cases?groupBy=department&period=all&replay={NAME}")
check(status == 200, f"/v1/metrics/cases?replay={NAME}: {status} {body[:300]}")
if status == 200:
    answer = json.loads(body)["rows"]
    accepted = {(r["region"], r["departmentCode"]): r["accepted"] for r in answer if r["accepted"]}
    concluded = sum(r["concluded"] for r in answer)
    check(accepted == expected_accepted,
          f"accepted per department as of {CUTOFF}: the replay says {sorted(accepted.items())[:10]}…, the events {sorted(expected_accepted.items())[:10]}…")
    check(concluded == expected_concluded, f"concluded as of {CUTOFF}: the replay says {concluded}, the events {expected_concluded}")
schemas = f'"{NAME}__approval"'
open_ = int(psql(f"SELECT count(*) FROM {schemas}.cases WHERE accepted_at IS NOT NULL AND concluded_at IS NULL AND status NOT IN ('refused', 'withdrawn')")[0])
check(open_ == expected_open, f"open as of {CUTOFF}: the replay says {open_}, the events {expected_open}")
status, _, body = get("/v1/metrics/cases?groupBy=department&period=all")
live = sum(r["accepted"] for r in json.loads(body)["rows"]) if status == 200 else -1
check(live > sum(expected_accepted.values()), f"the live read models (accepted {live}) go beyond {CUTOFF}")
status, media, body = get("/v1/cases?replay=nosuch")
check(status == 404 and media.startswith("application/problem+json") and "not-found" in body, f"?replay=nosuch: {status} {media} {body[:200]}")
done, _ = chancery("report", "circular", "--region", "430424", "--month", "2025-06", "--format", "json", "--schema", NAME)
check(done.returncode == 0 and done.stdout.lstrip().startswith("{"),
      f"chancery report circular --schema {NAME}: {done.returncode} {done.stderr[-500:]}")

# verify --read-models: the live read models equal a rebuild from the whole log.
if not SHORT:
    done, seconds = chancery("verify", "--read-models", "--format", "json", "--supervision-policy", "examples/config/supervision-policy.json")
    try:
        verified = json.loads(done.stdout)
    except json.JSONDecodeError:
        verified = {}
    differing = [t["table"] for t in (verified.get("readModels") or {}).get("tables", []) if t["leftChecksum"] != t["rightChecksum"] or t["leftRows"] != t["rightRows"]]
    check(done.returncode == 0 and verified.get("ok") is True,
          f"chancery verify --read-models: exit {done.returncode}, differing tables {differing}, not compared {verified.get('notCompared')}, {done.stderr[-500:]}")
    print(f"replay: chancery verify --read-models: the chain and {total_events} events rebuilt and compared in {seconds:.1f} s "
          f"(rebuild {verified.get('rebuildSeconds')} s, {verified.get('rebuildEventsPerSecond')} events/s)")
else:
    print("replay: short mode: chancery verify --read-models left out (make web-checks WEB_CHECKS=replay runs it)")

done, _ = chancery("replay", "--drop", NAME)
check(done.returncode == 0, f"chancery replay --drop {NAME}: {done.stderr[-300:]}")

if failures:
    print("replay: FAILED")
    for f in failures:
        print(f"  - {f}")
    sys.exit(1)
print("replay: ok")
