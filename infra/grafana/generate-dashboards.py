#!/usr/bin/env python3
"""Writes the Grafana dashboards of infra/grafana/dashboards/ (overview, ranking, alerts) over Chancery's PostgreSQL
read models. Edit the panels here and run `python3 infra/grafana/generate-dashboards.py`; the JSON files are committed
(Grafana provisions them as they are) and checked by the Swift test GrafanaDashboardsTests (valid JSON, every panel's
SQL planned by PostgreSQL with EXPLAIN against the migrated schema after the Grafana macros are replaced).

Every query filters on the dashboard variable `region` (multi-value, `IN ($region)`); dates are the read models' own
(acceptance and conclusion days in the region's time zone, timestamps in UTC).
"""
import json
import pathlib

OUT = pathlib.Path(__file__).resolve().parent / "dashboards"
DATASOURCE = {"type": "postgres", "uid": "chancery-postgres"}


def region_variable():
    return {
        "name": "region", "label": "Region 行政区划", "type": "query", "datasource": DATASOURCE,
        "query": "SELECT DISTINCT region FROM catalog.items ORDER BY 1", "definition": "SELECT DISTINCT region FROM catalog.items ORDER BY 1",
        "multi": True, "includeAll": True, "current": {"selected": True, "text": ["All"], "value": ["$__all"]}, "refresh": 1, "sort": 1,
    }


def target(sql, fmt="table"):
    return {"refId": "A", "datasource": DATASOURCE, "editorMode": "code", "format": fmt, "rawQuery": True, "rawSql": sql.strip()}


def panel(pid, title, kind, sql, x, y, w, h, fmt="table", description="", options=None, field_config=None):
    p = {
        "id": pid, "title": title, "type": kind, "datasource": DATASOURCE, "description": description,
        "gridPos": {"x": x, "y": y, "w": w, "h": h}, "targets": [target(sql, fmt)],
        "fieldConfig": field_config or {"defaults": {}, "overrides": []}, "options": options or {},
    }
    return p


def dashboard(uid, title, description, panels, time_from="now-2y"):
    return {
        "uid": uid, "title": title, "description": description, "tags": ["chancery", "电子监察"], "timezone": "browser",
        "schemaVersion": 39, "version": 1, "editable": False, "graphTooltip": 1, "refresh": "5m",
        "time": {"from": time_from, "to": "now"}, "templating": {"list": [region_variable()]},
        "annotations": {"list": []}, "links": [], "panels": panels,
    }


percent = {"defaults": {"unit": "percentunit", "min": 0, "max": 1, "decimals": 1}, "overrides": []}

overview = dashboard("chancery-overview", "Chancery — overview 概览", "Cases, conclusions, overdue cases and the disclosure catalogue from the read models.", [
    panel(1, "Cases accepted 受理", "stat", """
        SELECT count(*) AS "accepted" FROM approval.cases
        WHERE accepted_at IS NOT NULL AND $__timeFilter(accepted_at) AND region IN ($region)""", 0, 0, 6, 4),
    panel(2, "Cases concluded 办结", "stat", """
        SELECT count(*) AS "concluded" FROM approval.cases
        WHERE concluded_at IS NOT NULL AND $__timeFilter(concluded_at) AND region IN ($region)""", 6, 0, 6, 4),
    panel(3, "On-time rate 按时办结率", "stat", """
        SELECT round(count(*) FILTER (WHERE outcome IN ('early', 'on-time'))::numeric / nullif(count(*), 0), 4) AS "on-time rate"
        FROM approval.cases WHERE concluded_at IS NOT NULL AND $__timeFilter(concluded_at) AND region IN ($region)""", 12, 0, 6, 4,
          field_config=percent, description="Concluded early or on time ÷ concluded, over the cases concluded in the time range."),
    panel(4, "Overdue and still open 超期未办结", "stat", """
        SELECT count(*) AS "overdue open" FROM supervision.case_clocks
        WHERE concluded_on IS NULL AND red_alert_id IS NOT NULL AND region IN ($region)""", 18, 0, 6, 4,
          description="Cases still open that got a red card (whatever the time range)."),
    panel(5, "Accepted per day 每日受理", "timeseries", """
        SELECT $__timeGroupAlias(accepted_at, '1d'), count(*) AS "accepted"
        FROM approval.cases WHERE accepted_at IS NOT NULL AND $__timeFilter(accepted_at) AND region IN ($region)
        GROUP BY 1 ORDER BY 1""", 0, 4, 12, 8, fmt="time_series"),
    panel(6, "Concluded per day by outcome 每日办结", "timeseries", """
        SELECT $__timeGroupAlias(concluded_at, '1d'),
               count(*) FILTER (WHERE outcome = 'early') AS "early",
               count(*) FILTER (WHERE outcome = 'on-time') AS "on time",
               count(*) FILTER (WHERE outcome = 'overdue') AS "overdue"
        FROM approval.cases WHERE concluded_at IS NOT NULL AND $__timeFilter(concluded_at) AND region IN ($region)
        GROUP BY 1 ORDER BY 1""", 12, 4, 12, 8, fmt="time_series"),
    panel(7, "Cases by status 办件状态", "table", """
        SELECT status, count(*) AS "cases" FROM approval.cases
        WHERE region IN ($region) AND $__timeFilter(submitted_at)
        GROUP BY status ORDER BY 2 DESC""", 0, 12, 8, 8),
    panel(8, "Disclosure catalogue by category 主动公开", "barchart", """
        SELECT category, sum(published)::int AS "published", sum(reported)::int AS "reported"
        FROM disclosure.catalog_by_category WHERE region IN ($region)
        GROUP BY category ORDER BY category""", 8, 12, 16, 8),
])

ranking = dashboard("chancery-ranking", "Chancery — department ranking 部门排名", "Departments ranked by their on-time rate over the time range (the configured efficiency index itself: GET /v1/metrics/ranking).", [
    panel(1, "Departments by on-time rate 按时办结率排名", "table", """
        SELECT rank() OVER (ORDER BY on_time_rate DESC NULLS LAST, concluded DESC) AS "rank", region, department_code AS "department",
               concluded, on_time_rate AS "on-time rate", early_rate AS "early rate", mean_working_days AS "mean working days",
               median_working_days AS "median working days", overdue_open AS "overdue open"
        FROM (
          SELECT region, department_code,
                 count(*) FILTER (WHERE concluded_on IS NOT NULL) AS concluded,
                 round(count(*) FILTER (WHERE outcome IN ('early', 'on-time'))::numeric / nullif(count(*) FILTER (WHERE concluded_on IS NOT NULL), 0), 4) AS on_time_rate,
                 round(count(*) FILTER (WHERE outcome = 'early')::numeric / nullif(count(*) FILTER (WHERE concluded_on IS NOT NULL), 0), 4) AS early_rate,
                 round(avg(working_days_used) FILTER (WHERE concluded_on IS NOT NULL), 2) AS mean_working_days,
                 percentile_cont(0.5) WITHIN GROUP (ORDER BY working_days_used) FILTER (WHERE concluded_on IS NOT NULL) AS median_working_days,
                 count(*) FILTER (WHERE concluded_on IS NULL AND red_alert_id IS NOT NULL) AS overdue_open
          FROM supervision.case_clocks
          WHERE region IN ($region) AND accepted_on IS NOT NULL
            AND (concluded_on IS NULL OR concluded_on BETWEEN $__timeFrom()::date AND $__timeTo()::date)
          GROUP BY region, department_code) d
        ORDER BY 1""", 0, 0, 24, 12),
    panel(2, "On-time rate 按时办结率", "bargauge", """
        SELECT department_code AS "department",
               round(count(*) FILTER (WHERE outcome IN ('early', 'on-time'))::numeric / nullif(count(*), 0), 4) AS "on-time rate"
        FROM supervision.case_clocks
        WHERE region IN ($region) AND concluded_on BETWEEN $__timeFrom()::date AND $__timeTo()::date
        GROUP BY department_code ORDER BY 2 DESC NULLS LAST LIMIT 20""", 0, 12, 12, 10, field_config=percent,
          options={"orientation": "horizontal", "displayMode": "gradient", "reduceOptions": {"values": True, "calcs": [], "fields": ""}}),
    panel(3, "Items with the most overdue cases 超期事项", "table", """
        SELECT c.region, c.item_code AS "item", i.item_name AS "name", count(*) AS "overdue"
        FROM approval.cases c LEFT JOIN catalog.items i ON i.region = c.region AND i.item_code = c.item_code
        WHERE c.region IN ($region) AND c.outcome = 'overdue' AND $__timeFilter(c.concluded_at)
        GROUP BY c.region, c.item_code, i.item_name ORDER BY 4 DESC LIMIT 20""", 12, 12, 12, 10),
])

alerts = dashboard("chancery-alerts", "Chancery — alerts 预警", "Yellow cards (deadline near), red cards (deadline passed) and irregularities raised by the supervisor.", [
    panel(1, "Yellow cards 黄牌", "stat", """
        SELECT count(*) AS "yellow cards" FROM supervision.alerts
        WHERE alert_type = 'DeadlineWarningRaised' AND $__timeFilter(raised_at) AND region IN ($region)""", 0, 0, 6, 4),
    panel(2, "Red cards 红牌", "stat", """
        SELECT count(*) AS "red cards" FROM supervision.alerts
        WHERE alert_type = 'DeadlineBreached' AND $__timeFilter(raised_at) AND region IN ($region)""", 6, 0, 6, 4),
    panel(3, "Irregularities 异常", "stat", """
        SELECT count(*) AS "irregularities" FROM supervision.alerts
        WHERE alert_type = 'IrregularityFlagged' AND $__timeFilter(raised_at) AND region IN ($region)""", 12, 0, 6, 4),
    panel(4, "Unresolved 未解除", "stat", """
        SELECT count(*) AS "unresolved" FROM supervision.alerts WHERE resolved_at IS NULL AND region IN ($region)""", 18, 0, 6, 4),
    panel(5, "Alerts per day 每日预警", "timeseries", """
        SELECT $__timeGroupAlias(raised_at, '1d'),
               count(*) FILTER (WHERE alert_type = 'DeadlineWarningRaised') AS "yellow",
               count(*) FILTER (WHERE alert_type = 'DeadlineBreached') AS "red",
               count(*) FILTER (WHERE alert_type = 'IrregularityFlagged') AS "irregularity"
        FROM supervision.alerts WHERE $__timeFilter(raised_at) AND region IN ($region)
        GROUP BY 1 ORDER BY 1""", 0, 4, 24, 8, fmt="time_series"),
    panel(6, "Alerts by department 部门预警", "table", """
        SELECT region, department_code AS "department",
               count(*) FILTER (WHERE alert_type = 'DeadlineWarningRaised') AS "yellow",
               count(*) FILTER (WHERE alert_type = 'DeadlineBreached') AS "red",
               count(*) FILTER (WHERE alert_type = 'IrregularityFlagged') AS "irregularities",
               count(*) FILTER (WHERE resolved_at IS NULL) AS "unresolved"
        FROM supervision.alerts WHERE $__timeFilter(raised_at) AND region IN ($region)
        GROUP BY region, department_code ORDER BY 4 DESC, 3 DESC""", 0, 12, 10, 10),
    panel(7, "Latest unresolved alerts 最新未解除预警", "table", """
        SELECT raised_at AS "raised", alert_type AS "type", case_subject AS "subject", department_code AS "department",
               deadline, irregularity_kind AS "irregularity", step
        FROM supervision.alerts WHERE resolved_at IS NULL AND region IN ($region)
        ORDER BY raised_at DESC LIMIT 200""", 10, 12, 14, 10),
])

OUT.mkdir(exist_ok=True)
for name, d in [("overview", overview), ("ranking", ranking), ("alerts", alerts)]:
    (OUT / f"{name}.json").write_text(json.dumps(d, ensure_ascii=False, indent=2) + "\n")
    print(f"wrote {OUT / name}.json: {len(d['panels'])} panels")
