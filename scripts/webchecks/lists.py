#!/usr/bin/env python3
"""Web check of the read API's lists over the reference scenario (issue 12: every list keeps the list contract).

Run by infra/web-checks.sh (`make web-checks WEB_CHECKS=lists`; make test runs it in short mode). For each list —
GET /v1/disclosure-requests, GET /v1/alerts, a stream's history GET /v1/streams/{subject}, GET /v1/audit/checkpoints and
GET /v1/dead-letters — it follows `next` from the first page to the last and fails when:
  - the rows of all pages are not exactly the rows PostgreSQL holds (read with psql from CHANCERY_DATABASE_URL), in the
    list's order, each once;
  - the CSV export (Accept: text/csv) has another header or another number of records than the JSON pages;
  - If-None-Match with the first page's ETag is not 304;
  - a bad filter value is not 400 problem+json naming the parameter.
It also checks that a dead letter's payload (when the scenario has any) never shows an unmasked personal field.
Standard library only (urllib, subprocess for psql). Short mode (WEB_CHECKS_SHORT=1) pages the disclosure requests
and the alerts 500 at a time instead of 100; both take seconds.
"""
import csv
import io
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

BASE = os.environ["CHANCERY_URL"].rstrip("/")
DB = os.environ["CHANCERY_DATABASE_URL"]
TOKENS = {"analyst": os.environ["CHANCERY_ANALYST_TOKEN"], "auditor": os.environ["CHANCERY_AUDITOR_TOKEN"], "admin": os.environ["CHANCERY_ADMIN_TOKEN"]}
SHORT = os.environ.get("WEB_CHECKS_SHORT") == "1"
failures = []


def fail(message):
    failures.append(message)
    print("  FAIL " + message, file=sys.stderr)


def psql(sql):
    return subprocess.run(["psql", DB, "-At", "-F", "\t", "-c", sql], check=True, capture_output=True, text=True).stdout.splitlines()


def get(path, token=None, headers=None):
    request = urllib.request.Request(BASE + path, headers=dict(headers or {}))
    if token:
        request.add_header("Authorization", "Bearer " + TOKENS[token])
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def pages(path, member, token):
    """Every row of every page of `path`, following `next`; and the first page's ETag."""
    rows, uri, etag, count = [], path, None, 0
    while count < 100000:
        status, headers, body = get(uri, token)
        if status != 200:
            fail(f"{uri}: {status} {body[:200]!r}")
            return rows, etag
        page = json.loads(body)
        etag = etag or headers.get("ETag")
        rows += page[member]
        count += 1
        if page["next"] is None:
            return rows, etag
        uri = path + ("&" if "?" in path else "?") + "after=" + page["next"]
    fail(f"{path}: more than 100000 pages")
    return rows, etag


def contract(name, path, member, token, key, expected, bad):
    rows, etag = pages(path, member, token)
    got = [str(row[key]) for row in rows]
    if got != expected:
        fail(f"{name}: {len(got)} rows over the pages, {len(expected)} in PostgreSQL (first difference at "
             f"{next((i for i, (a, b) in enumerate(zip(got, expected)) if a != b), min(len(got), len(expected)))})")
    status, headers, body = get(path.split("?")[0] + ("?" + path.split("?")[1] if "?" in path else ""), token, {"Accept": "text/csv"})
    records = list(csv.reader(io.StringIO(body.decode("utf-8"), newline=""))) if status == 200 else []
    if status != 200 or not headers.get("Content-Type", "").startswith("text/csv"):
        fail(f"{name}: CSV answered {status} {headers.get('Content-Type')}")
    elif len(records) != 1 + len(expected):
        fail(f"{name}: CSV has {len(records) - 1} records, PostgreSQL {len(expected)}")
    elif rows and not set(rows[0]) <= set(records[0]):
        fail(f"{name}: CSV header {records[0]} lacks JSON members of {sorted(rows[0])}")
    elif [r[records[0].index(key)] for r in records[1:]] != expected:
        fail(f"{name}: the CSV's {key} column differs from PostgreSQL's rows")
    if etag:
        status, _, _ = get(path, token, {"If-None-Match": etag})
        if status != 304:
            fail(f"{name}: If-None-Match with the ETag answered {status}, not 304")
    else:
        fail(f"{name}: the first page has no ETag")
    for parameter, value in bad:
        status, headers, body = get(path.split("?")[0] + f"?{parameter}={value}", token)
        problem = json.loads(body) if headers.get("Content-Type") == "application/problem+json" else {}
        if status != 400 or not problem.get("detail", "").startswith(parameter + " "):
            fail(f"{name}: {parameter}={value} answered {status} {problem.get('detail')!r}, not 400 naming {parameter}")
    print(f"lists: {name}: {len(got)} rows over the pages, CSV and 304 checked")


def main():
    started = time.monotonic()
    size = 500 if SHORT else 100
    contract("disclosure requests", f"/v1/disclosure-requests?limit={size}", "requests", "analyst", "subject",
             psql("SELECT subject FROM disclosure.requests ORDER BY subject"),
             [("status", "lost"), ("receivedFrom", "2025-02-30"), ("overdue", "maybe")])
    overdue = psql("SELECT subject FROM disclosure.requests WHERE coalesce(answered_in_time = false, false) "
                   "OR (answered_at IS NULL AND coalesce(deadline < current_date, false)) ORDER BY subject")
    rows, _ = pages(f"/v1/disclosure-requests?overdue=true&limit=500", "requests", "analyst")
    if [r["subject"] for r in rows] != overdue:
        fail(f"disclosure requests: overdue=true gives {len(rows)}, PostgreSQL {len(overdue)}")

    contract("alerts", f"/v1/alerts?limit={size}", "alerts", "analyst", "subject",
             psql("SELECT subject FROM supervision.alerts ORDER BY (to_char(raised_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US') || ' ' || subject) DESC"),
             [("card", "green"), ("open", "maybe"), ("raisedTo", "2025-13-01")])

    subject = psql("SELECT subject FROM audit.journal WHERE subject LIKE 'case/%' GROUP BY subject ORDER BY count(*) DESC, subject LIMIT 1")[0]
    sequences = psql(f"SELECT sequence FROM audit.journal WHERE subject = '{subject}' ORDER BY sequence")
    encoded = urllib.request.quote(subject, safe="")
    contract(f"stream {subject}", f"/v1/streams/{encoded}?limit=2", "events", "auditor", "sequence", sequences,
             [("type", "gov.nothing"), ("timeFrom", "2025-1-1"), ("limit", "0")])

    contract("checkpoints", "/v1/audit/checkpoints?limit=2", "checkpoints", None, "treeSize",
             psql("SELECT tree_size FROM audit.checkpoints ORDER BY tree_size DESC"), [("treeSizeFrom", "0"), ("signedTo", "x")])

    contract("dead letters", "/v1/dead-letters?limit=3", "deadLetters", "auditor", "id",
             psql("SELECT position FROM audit.journal WHERE subject IS NULL ORDER BY position"), [("retried", "maybe"), ("committedFrom", "x")])
    personal = ["applicantIdNumber", "requesterIdNumber", "writerIdNumber", "applicantPhone", "requesterPhone"]
    for position in psql("SELECT position FROM audit.journal WHERE subject IS NULL ORDER BY position LIMIT 20"):
        status, _, body = get(f"/v1/dead-letters/{position}", "auditor")
        detail = json.loads(body) if status == 200 else {}
        if status != 200 or "payload" not in detail:
            fail(f"dead letter {position}: {status}")
            continue
        value = detail["payload"]["value"]
        data = value.get("data") if isinstance(value, dict) else None
        for field in personal:
            if isinstance(data, dict) and isinstance(data.get(field), str) and "*" not in data[field]:
                fail(f"dead letter {position}: {field} shown unmasked")

    elapsed = time.monotonic() - started
    if failures:
        print(f"lists: {len(failures)} failures ({elapsed:.1f} s)", file=sys.stderr)
        return 1
    print(f"lists: 0 failures ({elapsed:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
