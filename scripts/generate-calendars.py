#!/usr/bin/env python3
"""Generate the working-day calendars bundled with ChanceryDomain.

Writes, under ``Sources/ChanceryDomain/Resources/calendars/``:

* ``CN.json``    -- China's national calendar (国务院办公厅 holiday notices,
  放假安排), from the ``chinese-calendar`` PyPI package: every public holiday
  date (including the weekend days inside a holiday period) and every
  adjusted working day (调休: a Saturday or Sunday that is a working day).
  Wanted years 2008-2027; the package only knows the years whose notice has
  been published, so ``coverage.through`` stops at the last year it knows
  (chinese-calendar 1.11.0: 2026-12-31).
* ``CA-ON.json`` -- Ontario statutory holidays 2015-2027 from the ``holidays``
  PyPI package (``holidays.country_holidays("CA", subdiv="ON", years=...)``,
  default "public" category, observed days included as the package gives
  them); weekends are non-working and there are no adjusted working days.

Usage::

    python3 -m venv /tmp/calvenv
    /tmp/calvenv/bin/pip install -r scripts/requirements-calendars.txt
    /tmp/calvenv/bin/python scripts/generate-calendars.py [--out DIR]

The output is deterministic (sorted keys, no generation timestamp): running
the script twice with the pinned versions gives byte-identical files.

File shape (one JSON object, UTF-8, keys in this order)::

    {
      "id": "CN",                         # calendar id, WorkingDayCalendar.bundled("CN")
      "name": "China (national)",         # human-readable name
      "timeZone": "Asia/Shanghai",        # IANA zone: the civil date of an event is
                                          # its date in this zone, never the UTC date
      "utcOffsetSeconds": 28800,          # fixed offset east of UTC, or null when the
                                          # zone has daylight saving (America/Toronto);
                                          # the Swift side then uses Foundation's TimeZone
      "weekend": [6, 7],                  # ISO weekdays (1 = Monday ... 7 = Sunday)
                                          # that are not working days
      "coverage": {"from": "2008-01-01", "through": "2026-12-31", "note": "..."},
                                          # dates for which the lists are complete; outside
                                          # it only the weekend rule applies; "note" (optional)
                                          # says why coverage stops short of the wanted years
      "source": "chinese-calendar 1.11.0 (PyPI)",
      "version": "chinese-calendar-1.11.0",  # data version, recorded by replays
      "holidays": {"2025-01-28": "Spring Festival", ...},
                                          # YYYY-MM-DD -> name: non-working days
      "workingWeekends": {"2025-01-26": "Spring Festival", ...}
                                          # YYYY-MM-DD -> name of the holiday it
                                          # compensates: working days (调休) even though
                                          # they fall on a weekend day
    }

A date is a working day when it is listed in ``workingWeekends``, or when it is
not listed in ``holidays`` and its ISO weekday is not in ``weekend``. A later
notice (a configured override file of the same shape) wins per date. The
script checks that rule against the packages for every day of the coverage
before writing anything.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from importlib.metadata import version as dist_version

import chinese_calendar
import holidays as holidays_pkg
from chinese_calendar import constants as cn_constants

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "Sources" / "ChanceryDomain" / "Resources" / "calendars"

CN_WANTED = (2008, 2027)
ON_YEARS = (2015, 2027)
WEEKEND = [6, 7]  # ISO Saturday, Sunday


def days(start: dt.date, end: dt.date):
    d = start
    while d <= end:
        yield d
        d += dt.timedelta(days=1)


def rule_says_working(d: dt.date, hol: dict, work: dict) -> bool:
    key = d.isoformat()
    if key in work:
        return True
    return key not in hol and d.isoweekday() not in WEEKEND


def year_span(a: int, b: int) -> str:
    return str(a) if a == b else f"{a}-{b}"


def cn_calendar() -> dict:
    pkg_version = dist_version("chinese-calendar")
    known_years = {d.year for d in cn_constants.holidays} | {d.year for d in cn_constants.workdays}
    first = CN_WANTED[0]
    last = CN_WANTED[1]
    while last >= first and last not in known_years:
        last -= 1
    if last < first:
        sys.exit(f"chinese-calendar {pkg_version} knows no year in {CN_WANTED}")
    if last < CN_WANTED[1]:
        print(
            f"note: chinese-calendar {pkg_version} stops at {last}; "
            f"{year_span(last + 1, CN_WANTED[1])} not covered",
            file=sys.stderr,
        )
    start, end = dt.date(first, 1, 1), dt.date(last, 12, 31)

    hol = {d.isoformat(): name for d, name in sorted(cn_constants.holidays.items()) if start <= d <= end}
    work = {d.isoformat(): name for d, name in sorted(cn_constants.workdays.items()) if start <= d <= end}

    # Self-checks against the package's own API, day by day.
    for key in work:
        d = dt.date.fromisoformat(key)
        assert d.isoweekday() in WEEKEND, f"adjusted working day {key} is not a weekend day"
        assert key not in hol, f"{key} is both a holiday and a working day"
    for d in days(start, end):
        expected = chinese_calendar.is_workday(d)
        assert rule_says_working(d, hol, work) == expected, f"rule disagrees with chinese-calendar on {d}"

    coverage_note = None
    if last < CN_WANTED[1]:
        coverage_note = (
            f"chinese-calendar {pkg_version} has notices through {last}; "
            f"{year_span(last + 1, CN_WANTED[1])} not yet covered (weekend rule only)"
        )
    coverage = {"from": start.isoformat(), "through": end.isoformat()}
    if coverage_note:
        coverage["note"] = coverage_note
    return {
        "id": "CN",
        "name": "China (national, State Council holiday notices)",
        "timeZone": "Asia/Shanghai",
        "utcOffsetSeconds": 28800,
        "weekend": WEEKEND,
        "coverage": coverage,
        "source": f"chinese-calendar {pkg_version} (PyPI)",
        "version": f"chinese-calendar-{pkg_version}",
        "holidays": hol,
        "workingWeekends": work,
    }


def on_calendar() -> dict:
    pkg_version = dist_version("holidays")
    years = range(ON_YEARS[0], ON_YEARS[1] + 1)
    on = holidays_pkg.country_holidays("CA", subdiv="ON", years=years)
    start, end = dt.date(ON_YEARS[0], 1, 1), dt.date(ON_YEARS[1], 12, 31)
    hol = {d.isoformat(): name for d, name in sorted(on.items()) if start <= d <= end}
    for d in days(start, end):
        expected = d.isoweekday() not in WEEKEND and d not in on
        assert rule_says_working(d, hol, {}) == expected, f"rule disagrees with holidays on {d}"
    return {
        "id": "CA-ON",
        "name": "Canada, Ontario (statutory holidays)",
        "timeZone": "America/Toronto",
        "utcOffsetSeconds": None,
        "weekend": WEEKEND,
        "coverage": {"from": start.isoformat(), "through": end.isoformat()},
        "source": f"holidays {pkg_version} (PyPI), country_holidays('CA', subdiv='ON')",
        "version": f"holidays-{pkg_version}",
        "holidays": hol,
        "workingWeekends": {},
    }


def write(out: Path, cal: dict) -> None:
    path = out / f"{cal['id']}.json"
    text = json.dumps(cal, ensure_ascii=False, indent=2) + "\n"
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path.relative_to(REPO) if path.is_relative_to(REPO) else path}: "
          f"{len(cal['holidays'])} holidays, {len(cal['workingWeekends'])} working weekend days, "
          f"coverage {cal['coverage']['from']}..{cal['coverage']['through']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    write(args.out, cn_calendar())
    write(args.out, on_calendar())


if __name__ == "__main__":
    main()
