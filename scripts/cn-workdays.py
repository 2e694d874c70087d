#!/usr/bin/env python3
"""Print chinese-calendar's verdict for every day of a range, for CalendarPackageAgreementTests.

Usage: python3 scripts/cn-workdays.py 2008-01-01 2026-12-31

Output, one JSON object on stdout:
  {"package": "chinese-calendar", "version": "1.11.0", "from": "2008-01-01",
   "through": "2026-12-31", "workdays": "0111110..."}
where character i of "workdays" is "1" when chinese_calendar.is_workday(from + i days) and "0"
otherwise. Exit status 2 when the package is missing (pip install -r scripts/requirements-calendars.txt).
"""

import datetime as dt
import json
import sys
from importlib.metadata import version

try:
    import chinese_calendar
except ImportError as error:
    print(f"chinese-calendar is not installed ({error}): pip install -r scripts/requirements-calendars.txt", file=sys.stderr)
    sys.exit(2)


def main() -> None:
    start, end = (dt.date.fromisoformat(a) for a in sys.argv[1:3])
    bits = []
    d = start
    while d <= end:
        bits.append("1" if chinese_calendar.is_workday(d) else "0")
        d += dt.timedelta(days=1)
    print(json.dumps({"package": "chinese-calendar", "version": version("chinese-calendar"),
                      "from": start.isoformat(), "through": end.isoformat(), "workdays": "".join(bits)}))


if __name__ == "__main__":
    main()
