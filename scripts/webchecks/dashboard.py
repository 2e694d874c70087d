#!/usr/bin/env python3
"""Web check of the supervision dashboard (issue 12), run by infra/web-checks.sh over the reference scenario.

Headless Chromium (Debian's chromium + chromium-driver, Selenium from scripts/requirements-web-checks.txt) logs in with
the analyst token, loads every dashboard page (overview, departments, a department, an item, a case, interactions,
disclosure coverage, unused, alerts; the overview in English too) and fails when:
  - a page does not load, has no <h1>, or the browser logged a console error (SEVERE);
  - a chart's data (its <script type="application/json" class="chart-data"> block) differ from the JSON API's numbers
    for the same region and period (the block names the API request, the rows member, the label and value fields);
  - Chart.js is installed but a chart was not drawn.
It also checks the login form refuses a wrong token in the page's language and that the JSON API does not take the
cookie. With SCREENSHOTS=1 it saves one PNG per page in $WEB_CHECKS_OUT/screenshots/.
"""
import json
import os
import sys
import time
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

BASE = os.environ["CHANCERY_URL"].rstrip("/")
ANALYST = os.environ["CHANCERY_ANALYST_TOKEN"]
OUT = os.environ.get("WEB_CHECKS_OUT", ".data/web-checks")
SCREENSHOTS = os.environ.get("SCREENSHOTS") == "1"
REGION = os.environ.get("DASHBOARD_REGION", "430424")
PERIOD = "from=2025-01&to=2025-12"
failures = []


def fail(message):
    failures.append(message)
    print("  FAIL " + message, file=sys.stderr)


def api(path):
    request = urllib.request.Request(BASE + path, headers={"Authorization": "Bearer " + ANALYST})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def field(row, path):
    value = row
    for key in path.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    return value


def same(a, b):
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) < 1e-9


def check_chart(page, spec):
    """The chart's labels and series equal the API's rows for the request the chart names."""
    answer = api(spec["api"])
    rows = answer[spec["rows"]] if spec["rows"] else answer
    rows = [r for r in rows if all(str(field(r, k)) == v for k, v in spec["filter"].items())]
    by_label = {str(field(r, spec["labelField"])): r for r in rows}
    if spec.get("zeroFill"):
        missing = [str(field(r, spec["labelField"])) for r in rows if str(field(r, spec["labelField"])) not in spec["labels"]]
        if missing:
            fail(f"{page}: chart {spec['id']} leaves out API rows {missing}")
    elif spec["labels"] != [str(field(r, spec["labelField"])) for r in rows]:
        fail(f"{page}: chart {spec['id']} labels {spec['labels'][:6]}… differ from {spec['api']} ({len(rows)} rows)")
        return 0
    compared = 0
    for dataset in spec["datasets"]:
        for label, value in zip(spec["labels"], dataset["data"]):
            row = by_label.get(label)
            expected = field(row, dataset["field"]) if row is not None else (0 if spec.get("zeroFill") else None)
            compared += 1
            if not same(value, expected):
                fail(f"{page}: chart {spec['id']} {dataset['field']} at {label}: page {value}, API {expected} ({spec['api']})")
    return compared


def main():
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")
    for arg in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1000", "--lang=zh-CN"]:
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)
    driver.set_page_load_timeout(120)
    if SCREENSHOTS:
        os.makedirs(os.path.join(OUT, "screenshots"), exist_ok=True)
    charts_checked = values_checked = 0
    try:
        # A wrong token: the form again with the error in the page's language.
        driver.get(BASE + "/dashboard/login?lang=en")
        driver.find_element(By.ID, "token").send_keys("chancery_wrong.wrongwrongwrongwrong")
        driver.find_element(By.CSS_SELECTOR, "form.login button").click()
        # The click does not wait for the answer: wait for the form to come back with its error (or give up after 60 s).
        try:
            WebDriverWait(driver, 60).until(lambda d: d.find_elements(By.ID, "login-error"))
            if "The token is unknown, malformed or revoked." not in driver.find_element(By.ID, "login-error").text:
                fail("login with a wrong token did not show the English error")
        except TimeoutException:
            fail("login with a wrong token did not show the form again with an error")
        driver.get(BASE + "/dashboard/login")
        driver.find_element(By.ID, "token").send_keys(ANALYST)
        driver.find_element(By.CSS_SELECTOR, "form.login button").click()
        try:
            WebDriverWait(driver, 60).until(lambda d: "/dashboard/login" not in d.current_url)
        except TimeoutException:
            fail("login with the analyst token stayed on the login page")
            return
        cookie = driver.get_cookie("chancery_dashboard")
        if not cookie or not cookie.get("httpOnly") or cookie.get("sameSite") != "Strict":
            fail(f"the session cookie is not HttpOnly and SameSite=Strict: {cookie}")
        # The JSON API does not take the cookie.
        try:
            urllib.request.urlopen(urllib.request.Request(BASE + "/v1/metrics/cases", headers={"Cookie": "chancery_dashboard=" + ANALYST}), timeout=30)
            fail("/v1/metrics/cases answered a request with only the dashboard cookie")
        except urllib.error.HTTPError as error:
            if error.code != 401:
                fail(f"/v1/metrics/cases with only the cookie answered {error.code}, not 401")
        driver.get_log("browser")

        chart_js = urllib.request.urlopen(BASE + "/assets/chart.js", timeout=30).status == 200 if os.path.exists("/usr/share/javascript/chart.js/chart.min.js") else False
        q = f"region={REGION}&{PERIOD}"
        pages = [("overview", f"/dashboard?{q}"), ("overview-en", f"/dashboard?{q}&lang=en"), ("departments", f"/dashboard/departments?{q}"),
                 ("interactions", f"/dashboard/interactions?{q}"), ("disclosure", f"/dashboard/disclosure?{q}"),
                 ("unused", f"/dashboard/unused?{q}"), ("alerts", f"/dashboard/alerts?{q}"), ("alerts-red", f"/dashboard/alerts?{q}&card=red&lang=en")]
        visited = set()
        while pages:
            name, path = pages.pop(0)
            started = time.time()
            driver.get(BASE + path)
            if "/dashboard/login" in driver.current_url:
                fail(f"{name}: sent back to the login page")
                continue
            if not driver.find_elements(By.TAG_NAME, "h1"):
                fail(f"{name}: no <h1> at {path}")
            for entry in driver.get_log("browser"):
                if entry.get("level") == "SEVERE":
                    fail(f"{name}: console error: {entry.get('message')}")
            if name.endswith("-en") or "lang=en" in path:
                if driver.find_element(By.TAG_NAME, "html").get_attribute("lang") != "en":
                    fail(f"{name}: not in English with lang=en")
            for block in driver.find_elements(By.CSS_SELECTOR, "script.chart-data"):
                spec = json.loads(block.get_attribute("textContent"))
                values_checked += check_chart(name, spec)
                charts_checked += 1
                if chart_js:
                    drawn = driver.execute_script("var c = document.getElementById(arguments[0]); return !!(c && window.Chart && window.Chart.getChart(c));",
                                                  "canvas-" + spec["id"])
                    if not drawn:
                        fail(f"{name}: chart {spec['id']} was not drawn")
            if SCREENSHOTS:
                height = driver.execute_script("return document.documentElement.scrollHeight")
                driver.set_window_size(1280, min(max(height, 800), 6000))
                driver.save_screenshot(os.path.join(OUT, "screenshots", f"dashboard-{name}.png"))
                driver.set_window_size(1280, 1000)
            print(f"  {name}: {time.time() - started:.1f} s")
            # Drill down: the first department, its first item with open cases, one case.
            if name == "departments" and "department" not in visited:
                visited.add("department")
                links = driver.find_elements(By.CSS_SELECTOR, "table tbody th a")
                if not links:
                    fail("departments: no department link")
                else:
                    pages.insert(0, ("department", links[0].get_attribute("href").replace(BASE, "")))
            elif name == "department" and "case" not in visited:
                items = driver.find_elements(By.CSS_SELECTOR, "table:first-of-type tbody th a")
                cases = [a for a in driver.find_elements(By.CSS_SELECTOR, "a") if "/dashboard/cases/" in (a.get_attribute("href") or "")]
                if items:
                    pages.insert(0, ("item", items[0].get_attribute("href").replace(BASE, "")))
                if cases:
                    visited.add("case")
                    pages.insert(0, ("case", cases[0].get_attribute("href").replace(BASE, "")))
            elif name == "alerts" and "case" not in visited:
                cases = [a for a in driver.find_elements(By.CSS_SELECTOR, "a") if "/dashboard/cases/" in (a.get_attribute("href") or "")]
                if cases:
                    visited.add("case")
                    pages.insert(0, ("case", cases[0].get_attribute("href").replace(BASE, "")))
            if name == "disclosure":
                # SCENARIO.md: Zhuhui (430405) reported 471 items to the city portal, every one published.
                totals = [td.text for td in driver.find_elements(By.CSS_SELECTOR, "table.coverage tfoot td")]
                columns = [th.text for th in driver.find_elements(By.CSS_SELECTOR, "table.coverage thead th")][1:]
                if "430405" not in columns or totals[columns.index("430405")] != "471 / 471":
                    fail(f"disclosure: Zhuhui's total is not 471 / 471 (columns {columns}, totals {totals})")
            if name == "case" and "gov.approval.case.submitted" not in driver.page_source:
                fail("case: the timeline does not show the case's events")
        if "case" not in visited:
            fail("no case page was reached from the departments or the alerts")
        if charts_checked == 0:
            fail("no chart data found on any page")
    finally:
        driver.quit()
    print(f"dashboard: {charts_checked} charts, {values_checked} values compared with the API; {len(failures)} failures")


if __name__ == "__main__":
    main()
    sys.exit(1 if failures else 0)
