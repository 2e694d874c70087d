#!/usr/bin/env python3
"""Web check of the reports (ChanceryReports) on a server with the reference scenario loaded (infra/web-checks.sh).

- GET /v1/reports/annual lists 2025 for Zhuhui (430405), public.
- The public annual report of 430405/2025 (JSON) equals table 三 computed here from audit.events alone (the request
  events of SCENARIO.md: one natural person, disclosed), the HTML carries the format's labels in Chinese and English,
  CSV and Markdown answer with their media types.
- The dashboard circular of 430424 for 2025-06 needs a token (401 without) and equals /v1/metrics/cases per department.
- SCREENSHOTS=1: PNGs of both pages (headless Chromium) in $WEB_CHECKS_OUT/screenshots/.
Standard library only (urllib, subprocess for psql and chromium). Exits 1 with the reasons on failure.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request

URL = os.environ["CHANCERY_URL"]
ANALYST = os.environ["CHANCERY_ANALYST_TOKEN"]
DB = os.environ["CHANCERY_DATABASE_URL"]
OUT = os.environ.get("WEB_CHECKS_OUT", ".")
failures = []


def get(path, token=None):
    request = urllib.request.Request(URL + path, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=60) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read().decode("utf-8", "replace")


def check(condition, what):
    if not condition:
        failures.append(what)


def psql(sql):
    return subprocess.run(["psql", DB, "-At", "-F", "\t", "-c", sql], check=True, capture_output=True, text=True).stdout.splitlines()


# The years available.
status, _, body = get("/v1/reports/annual?region=430405")
check(status == 200 and 2025 in json.loads(body)["regions"][0]["years"], f"/v1/reports/annual: {status} {body[:200]}")

# Table 三 of Zhuhui 2025 from the events alone.
rows = psql("""
    SELECT r.event -> 'data' ->> 'requesterKind', (r.time AT TIME ZONE 'Asia/Shanghai')::date,
           (a.time AT TIME ZONE 'Asia/Shanghai')::date, a.event -> 'data' ->> 'outcome', a.event -> 'data' ->> 'reasonCode'
    FROM audit.events r LEFT JOIN audit.events a ON a.subject = r.subject AND a.type = 'gov.disclosure.request.answered'
    WHERE r.region = '430405' AND r.type = 'gov.disclosure.request.received'""")
expected = {}
for line in rows:
    kind, received, answered, outcome, reason = (line.split("\t") + [""] * 5)[:5]
    column = "natural-person" if kind == "citizen" else "other-organisation"

    def add(row):
        expected.setdefault(row, {}).setdefault(column, 0)
        expected[row][column] += 1
        expected[row].setdefault("total", 0)
        expected[row]["total"] += 1
    if received[:4] == "2025":
        add("new")
    if received[:4] < "2025" and (not answered or answered[:4] >= "2025"):
        add("carried-over")
    if answered[:4] == "2025":
        add("handled-total")
        if outcome in ("disclosed", "partially-disclosed"):
            add(outcome)
        elif reason:
            add(f"{outcome}.{reason}")
    if not answered or answered[:4] > "2025":
        add("carried-forward")
check(expected.get("new", {}).get("natural-person") == 1 and expected.get("disclosed", {}).get("natural-person") == 1,
      f"SCENARIO.md: Zhuhui's one request from a natural person, disclosed; the events give {expected}")
status, media, body = get("/reports/annual/430405/2025?format=json")
check(status == 200 and media.startswith("application/json"), f"annual JSON: {status} {media}")
if status == 200:
    report = json.loads(body)
    for line in report["requests"]["rows"]:
        for column, value in line["values"].items():
            want = expected.get(line["row"], {}).get(column, 0)
            check(value == want, f"annual 430405/2025 table 三 row {line['row']} column {column}: {value}, the events give {want}")
    c = report["challenges"]
    check(all(c[k]["total"] == 0 for k in c), f"SCENARIO.md: no reconsideration or lawsuit in Zhuhui, the report has {c}")
status, media, html_zh = get("/reports/annual/430405/2025")
check(status == 200 and media.startswith("text/html") and "（三）不予公开" in html_zh and "三、本年度办理结果" in html_zh,
      f"annual HTML (zh): {status} {media}")
status, _, html_en = get("/reports/annual/430405/2025?lang=en")
check(status == 200 and '<html lang="en">' in html_en and "(3) Withheld" in html_en, f"annual HTML (en): {status}")
for fmt, media_type in (("csv", "text/csv"), ("md", "text/markdown")):
    status, media, _ = get(f"/reports/annual/430405/2025?format={fmt}")
    check(status == 200 and media.startswith(media_type), f"annual {fmt}: {status} {media}")
status, _, _ = get("/reports/annual/430405/20x5")
check(status == 400, f"a malformed year answers {status}, not 400")

# The circular.
status, _, _ = get("/dashboard/reports/circular?region=430424&month=2025-06")
check(status == 401, f"the circular without a token answers {status}, not 401")
status, _, body = get("/dashboard/reports/circular?region=430424&month=2025-06&format=json", ANALYST)
check(status == 200, f"circular JSON: {status} {body[:300]}")
status2, _, metrics = get("/v1/metrics/cases?groupBy=department&period=month&from=2025-06&to=2025-06&region=430424", ANALYST)
if status == 200 and status2 == 200:
    lines = {d["departmentCode"]: d for d in json.loads(body)["departments"]}
    api = json.loads(metrics)["rows"]
    check(len(api) > 0, "no department figures for 430424 in 2025-06")
    for row in api:
        line = lines.get(row["departmentCode"])
        if line is None:
            failures.append(f"circular: department {row['departmentCode']} missing")
            continue
        for key in ("accepted", "concluded", "concludedOnTime", "overdueConcluded", "urged", "urgesMissed", "rated", "badRatings", "yellowCards", "redCards"):
            check(line[key] == row[key], f"circular {row['departmentCode']} {key}: {line[key]}, the metrics API {row[key]}")

# Screenshots.
if os.environ.get("SCREENSHOTS") == "1":
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    folder = os.path.join(OUT, "screenshots")
    os.makedirs(folder, exist_ok=True)
    if not browser:
        failures.append("SCREENSHOTS=1 but no chromium (infra/install-deps.sh installs it)")
    else:
        _, _, circular_html = get("/dashboard/reports/circular?region=430424&month=2025-06", ANALYST)
        with tempfile.TemporaryDirectory() as tmp:
            pages = {"reports-annual-430405-2025.png": ("html", html_zh), "reports-annual-430405-2025-en.png": ("html", html_en),
                     "reports-circular-430424-2025-06.png": ("html", circular_html)}
            for name, (_, text) in pages.items():
                source = os.path.join(tmp, name.replace(".png", ".html"))
                with open(source, "w", encoding="utf-8") as f:
                    f.write(text)
                target = os.path.join(folder, name)
                subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", f"--screenshot={target}",
                                "--window-size=1280,2400", "file://" + source], capture_output=True, timeout=120)
                check(os.path.exists(target) and os.path.getsize(target) > 0, f"screenshot {name} was not written")

if failures:
    print("reports: " + str(len(failures)) + " failure(s):\n  " + "\n  ".join(failures[:40]))
    sys.exit(1)
print("reports: the annual report and the circular match the events and the metrics API")
