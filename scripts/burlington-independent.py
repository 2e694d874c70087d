#!/usr/bin/env python3
"""burlington-independent.py -- on-time rate and median business days per Burlington permit type,
computed without Chancery's code, as a check of Chancery's clocks and metrics.

Usage: scripts/burlington-independent.py [CSV] [MAPPING]
  (defaults: examples/data/burlington-building-permits.csv and
   examples/mappings/burlington-building-permits.json of this repository)

Reads the City of Burlington's building permit export and, from the mapping, only the facts a person
would read off it: the permit type is the first word of FOLDERTYPE; its promised decision period (business
days, Ontario Building Code Division C Table 1.3.1.3) is the item's promisedLimit. For each permit with an
issue date on or after its application date, the business days used are the days after the application
date up to and including the issue date that are Monday to Friday and not an Ontario public holiday of the
`holidays` package (country_holidays("CA", subdiv="ON")). A permit is on time when it used no more than its
period. Prints JSON: {type: {"count": n, "onTime": k, "onTimeRate": k/n (4 decimals), "median": m}}, the
median being the middle value or the mean of the two middle values.

Exit status: 0 printed, 2 the `holidays` package is missing.
"""
import csv
import datetime as dt
import json
import os
import statistics
import sys

try:
    import holidays
except ImportError as e:  # pragma: no cover
    print(f"burlington-independent: needs the holidays package (pip install -r scripts/requirements-calendars.txt): {e}", file=sys.stderr)
    sys.exit(2)

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def day(text):
    return dt.date(int(text[0:4]), int(text[5:7]), int(text[8:10]))


def main():
    csv_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "examples", "data", "burlington-building-permits.csv")
    mapping_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(REPO, "examples", "mappings", "burlington-building-permits.json")
    with open(mapping_path, encoding="utf-8") as f:
        limits = {item["code"]: item["promisedLimit"] for item in json.load(f)["items"]}
    with open(csv_path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    years = range(min(day(r["INDATE"]).year for r in rows), max(day(r["ISSUEDATE"]).year for r in rows) + 1)
    closed = holidays.country_holidays("CA", subdiv="ON", years=years)
    used_by_type = {}
    for r in rows:
        kind = r["FOLDERTYPE"].strip().split(" ")[0]
        applied, issued = day(r["INDATE"]), day(r["ISSUEDATE"])
        if kind not in limits or issued < applied:
            continue
        used, d = 0, applied
        while d < issued:
            d += dt.timedelta(days=1)
            if d.weekday() < 5 and d not in closed:
                used += 1
        used_by_type.setdefault(kind, []).append(used)
    out = {}
    for kind, used in sorted(used_by_type.items()):
        on_time = sum(1 for u in used if u <= limits[kind])
        out[kind] = {"count": len(used), "onTime": on_time, "onTimeRate": round(on_time / len(used), 4), "median": statistics.median(used)}
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    print()


if __name__ == "__main__":
    main()
