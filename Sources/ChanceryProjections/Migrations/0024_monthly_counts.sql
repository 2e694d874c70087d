-- Monthly counts behind the case metrics (issue 10, P5): /v1/metrics/cases, /v1/metrics/ranking, the dashboard and the
-- monthly circular (MetricsQueries) read sums kept per region × department × item × case type × month instead of
-- aggregating every case row on each request. The projector keeps them in the transaction that changes the case rows
-- and the alerts (CaseMonthCounts.swift): for the cases a batch touches it subtracts what they contributed before the
-- batch and adds what they contribute after it, both read from the view approval.case_facts, the one definition of
-- what a case contributes. Open cases with a red card depend on the supervisor's clocks, which another consumer writes:
-- they are counted at query time from the partial indexes below. This migration backfills the counts from the rows
-- that exist, so an upgraded database equals a clean replay.

-- What each case contributes to the monthly counts: one row per fact, in the month the fact counts in.
CREATE VIEW approval.case_facts AS
    -- Acceptance (受理), in the month of accepted_on: the case, its limits (for the limit compression, only when both
    -- are in working days) and the outcome of its latest urge (督办).
    SELECT c.subject, c.region, c.department_code, c.item_code, coalesce(c.case_type, '') AS case_type,
           date_trunc('month', c.accepted_on)::date AS month,
           1 AS accepted, 0 AS refused, 0 AS concluded, 0 AS concluded_on_time, 0 AS concluded_early, 0 AS overdue_concluded,
           NULL::integer AS working_days_used,
           CASE WHEN c.statutory_limit > 0 AND c.promised_limit_unit IS DISTINCT FROM 'calendar-days' AND c.promised_limit IS NOT NULL
                THEN c.statutory_limit END AS statutory_limit,
           CASE WHEN c.statutory_limit > 0 AND c.promised_limit_unit IS DISTINCT FROM 'calendar-days' AND c.promised_limit IS NOT NULL
                THEN c.promised_limit END AS promised_limit,
           (c.urges > 0)::int AS urged, (c.urges > 0 AND c.urge_met IS TRUE)::int AS urges_met,
           coalesce(c.urges > 0 AND c.urge_met IS NOT TRUE AND um.alerts > 0
                    AND (c.urged_at IS NULL OR um.raised_at >= c.urged_at OR c.urge_deadline < c.urged_on), false)::int AS urges_missed,
           0 AS rated, 0 AS satisfied, 0 AS bad_ratings, 0 AS bad_ratings_rectified, 0 AS bad_ratings_rectified_in_time,
           0 AS yellow_cards, 0 AS red_cards
    FROM approval.cases c
         LEFT JOIN LATERAL (SELECT count(*) AS alerts, max(a.raised_at) AS raised_at FROM supervision.alerts a
                            WHERE a.id = 'irregularity/urge-missed/' || c.subject AND a.alert_type = 'IrregularityFlagged') um ON true
    WHERE c.accepted_on IS NOT NULL
    UNION ALL
    -- Refusal at intake (不予受理), in the month of refused_on.
    SELECT c.subject, c.region, c.department_code, c.item_code, coalesce(c.case_type, ''), date_trunc('month', c.refused_on)::date,
           0, 1, 0, 0, 0, 0, NULL, NULL, NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
    FROM approval.cases c WHERE c.refused_on IS NOT NULL
    UNION ALL
    -- Conclusion (办结), in the month of concluded_on: the outcome, the working days used and the rating.
    SELECT c.subject, c.region, c.department_code, c.item_code, coalesce(c.case_type, ''), date_trunc('month', c.concluded_on)::date,
           0, 0, 1, coalesce(c.outcome IN ('early', 'on-time'), false)::int, coalesce(c.outcome = 'early', false)::int,
           coalesce(c.outcome = 'overdue', false)::int, c.working_days_used, NULL, NULL, 0, 0, 0,
           (c.satisfaction_code IS NOT NULL)::int, coalesce(c.satisfaction_code <= 3, false)::int, coalesce(c.satisfaction_code >= 4, false)::int,
           coalesce(c.satisfaction_code >= 4 AND c.rectified_at IS NOT NULL, false)::int,
           coalesce(c.satisfaction_code >= 4 AND c.rectified_in_time, false)::int, 0, 0
    FROM approval.cases c WHERE c.concluded_on IS NOT NULL
    UNION ALL
    -- Every alert about the case that concerns a deadline, in the month of that deadline: yellow and red cards.
    SELECT c.subject, c.region, c.department_code, c.item_code, coalesce(c.case_type, ''), date_trunc('month', a.deadline)::date,
           0, 0, 0, 0, 0, 0, NULL, NULL, NULL, 0, 0, 0, 0, 0, 0, 0, 0, (a.card = 'yellow')::int, (a.card = 'red')::int
    FROM supervision.alerts a JOIN approval.cases c ON c.subject = a.case_subject
    WHERE a.deadline IS NOT NULL;
COMMENT ON VIEW approval.case_facts IS 'What each case contributes to approval.monthly_counts, monthly_working_days and monthly_limits: one row per fact (its acceptance, its refusal at intake, its conclusion, each alert about it with a deadline) in the month the fact counts in, with the case''s keys. The one definition of the case metrics (MetricsController documents each figure); the projector sums it for the cases a batch changes.';
COMMENT ON COLUMN approval.case_facts.subject IS 'Stream id of the case (办件), case/<region>/<case number>.';
COMMENT ON COLUMN approval.case_facts.case_type IS 'The case''s own case type (办件类型), '''' before acceptance (the metrics then take its item''s).';
COMMENT ON COLUMN approval.case_facts.month IS 'First day of the month the fact counts in: of accepted_on, refused_on, concluded_on or the alert''s deadline.';
COMMENT ON COLUMN approval.case_facts.working_days_used IS 'On a conclusion: working days (工作日) used, supplement pauses excluded; null otherwise.';
COMMENT ON COLUMN approval.case_facts.statutory_limit IS 'On an acceptance whose promised limit is in working days: the statutory limit (法定办结时限) when above 0 and the promised limit is known; null otherwise.';
COMMENT ON COLUMN approval.case_facts.promised_limit IS 'With statutory_limit: the promised limit (承诺办结时限) in working days.';
COMMENT ON COLUMN approval.case_facts.urges_missed IS 'On an acceptance: 1 when the latest urge was not met and the supervisor escalated it (an IrregularityFlagged irregularity/urge-missed/<subject> raised at or after the urge, or the urge''s deadline before its day, or the urge predates the urge columns).';

CREATE TABLE approval.monthly_counts (
    region text NOT NULL,
    department_code text NOT NULL,
    item_code text NOT NULL,
    case_type text NOT NULL,
    month date NOT NULL,
    facts integer NOT NULL,
    accepted integer NOT NULL,
    refused integer NOT NULL,
    concluded integer NOT NULL,
    concluded_on_time integer NOT NULL,
    concluded_early integer NOT NULL,
    overdue_concluded integer NOT NULL,
    working_days_cases integer NOT NULL,
    working_days_sum bigint NOT NULL,
    urged integer NOT NULL,
    urges_met integer NOT NULL,
    urges_missed integer NOT NULL,
    rated integer NOT NULL,
    satisfied integer NOT NULL,
    bad_ratings integer NOT NULL,
    bad_ratings_rectified integer NOT NULL,
    bad_ratings_rectified_in_time integer NOT NULL,
    yellow_cards integer NOT NULL,
    red_cards integer NOT NULL,
    PRIMARY KEY (region, department_code, item_code, case_type, month)
);
COMMENT ON TABLE approval.monthly_counts IS 'The case metrics summed per region, department, item, case type and month (the sums of approval.case_facts), kept by the projector with the case rows; a row whose facts fall to 0 is deleted.';
COMMENT ON COLUMN approval.monthly_counts.region IS 'Administrative division code (行政区划代码) of the cases.';
COMMENT ON COLUMN approval.monthly_counts.department_code IS 'Code of the handling department (受理部门 / 审批单位).';
COMMENT ON COLUMN approval.monthly_counts.item_code IS 'Item code (事项编码) of the cases.';
COMMENT ON COLUMN approval.monthly_counts.case_type IS 'The cases'' own case type (办件类型: immediate | promised | reported-upward | joint); '''' for cases never accepted (the metrics then take the item''s).';
COMMENT ON COLUMN approval.monthly_counts.month IS 'First day of the month each figure counts in (acceptance, refusal, conclusion or card deadline, in the region''s time zone).';
COMMENT ON COLUMN approval.monthly_counts.facts IS 'Facts summed into the row: acceptances + refusals + conclusions + alerts with a deadline.';
COMMENT ON COLUMN approval.monthly_counts.accepted IS 'Cases accepted (受理) in the month.';
COMMENT ON COLUMN approval.monthly_counts.refused IS 'Cases refused at intake (不予受理) in the month.';
COMMENT ON COLUMN approval.monthly_counts.concluded IS 'Cases concluded (办结) in the month.';
COMMENT ON COLUMN approval.monthly_counts.concluded_on_time IS 'Of the cases concluded in the month, those within the promised limit (early or on time).';
COMMENT ON COLUMN approval.monthly_counts.concluded_early IS 'Of the cases concluded in the month, those before the promised limit.';
COMMENT ON COLUMN approval.monthly_counts.overdue_concluded IS 'Of the cases concluded in the month, those beyond the promised limit (超期).';
COMMENT ON COLUMN approval.monthly_counts.working_days_cases IS 'Of the cases concluded in the month, those whose working days used are known.';
COMMENT ON COLUMN approval.monthly_counts.working_days_sum IS 'Their working days (工作日) used, summed (the mean is working_days_sum ÷ working_days_cases).';
COMMENT ON COLUMN approval.monthly_counts.urged IS 'Of the cases accepted in the month, those urged (督办) at least once.';
COMMENT ON COLUMN approval.monthly_counts.urges_met IS 'Of those, the cases whose latest urge was met.';
COMMENT ON COLUMN approval.monthly_counts.urges_missed IS 'Of those, the cases whose latest urge was missed and escalated by the supervisor.';
COMMENT ON COLUMN approval.monthly_counts.rated IS 'Of the cases concluded in the month, those rated (好差评).';
COMMENT ON COLUMN approval.monthly_counts.satisfied IS 'Of those, rated 1–3.';
COMMENT ON COLUMN approval.monthly_counts.bad_ratings IS 'Of those, rated 4–5 (差评).';
COMMENT ON COLUMN approval.monthly_counts.bad_ratings_rectified IS 'Of the bad ratings, those rectified (差评整改).';
COMMENT ON COLUMN approval.monthly_counts.bad_ratings_rectified_in_time IS 'Of the bad ratings, those rectified within the rectification limit.';
COMMENT ON COLUMN approval.monthly_counts.yellow_cards IS 'Yellow cards (黄牌) about the cases whose deadline falls in the month.';
COMMENT ON COLUMN approval.monthly_counts.red_cards IS 'Red cards (红牌) about the cases whose deadline falls in the month.';
CREATE INDEX monthly_counts_spent ON approval.monthly_counts (region) WHERE facts = 0;

CREATE TABLE approval.monthly_working_days (
    region text NOT NULL,
    department_code text NOT NULL,
    item_code text NOT NULL,
    case_type text NOT NULL,
    month date NOT NULL,
    working_days_used integer NOT NULL,
    cases integer NOT NULL,
    PRIMARY KEY (region, department_code, item_code, case_type, month, working_days_used)
);
COMMENT ON TABLE approval.monthly_working_days IS 'Cases concluded per region, department, item, case type and month, by working days used: the distribution the median and the 90th percentile are read from; kept by the projector, a row whose cases fall to 0 is deleted.';
COMMENT ON COLUMN approval.monthly_working_days.case_type IS 'As approval.monthly_counts.case_type.';
COMMENT ON COLUMN approval.monthly_working_days.month IS 'First day of the month of conclusion (办结), in the region''s time zone.';
COMMENT ON COLUMN approval.monthly_working_days.working_days_used IS 'Working days (工作日) used to conclude, supplement pauses excluded.';
COMMENT ON COLUMN approval.monthly_working_days.cases IS 'Cases concluded in the month with that many working days used.';
CREATE INDEX monthly_working_days_spent ON approval.monthly_working_days (region) WHERE cases = 0;

CREATE TABLE approval.monthly_limits (
    region text NOT NULL,
    department_code text NOT NULL,
    item_code text NOT NULL,
    case_type text NOT NULL,
    month date NOT NULL,
    statutory_limit integer NOT NULL,
    promised_limit integer NOT NULL,
    cases integer NOT NULL,
    PRIMARY KEY (region, department_code, item_code, case_type, month, statutory_limit, promised_limit)
);
COMMENT ON TABLE approval.monthly_limits IS 'Cases accepted per region, department, item, case type and month, by statutory and promised limit, where both are in working days and the statutory one is above 0: the limit compression ((statutory − promised) ÷ statutory, averaged) is read from it; kept by the projector, a row whose cases fall to 0 is deleted.';
COMMENT ON COLUMN approval.monthly_limits.case_type IS 'As approval.monthly_counts.case_type.';
COMMENT ON COLUMN approval.monthly_limits.month IS 'First day of the month of acceptance (受理), in the region''s time zone.';
COMMENT ON COLUMN approval.monthly_limits.statutory_limit IS 'Statutory limit (法定办结时限), working days.';
COMMENT ON COLUMN approval.monthly_limits.promised_limit IS 'Promised limit (承诺办结时限), working days.';
COMMENT ON COLUMN approval.monthly_limits.cases IS 'Cases accepted in the month with these limits.';
CREATE INDEX monthly_limits_spent ON approval.monthly_limits (region) WHERE cases = 0;

-- The urge-missed alert of a case is found by its id (irregularity/urge-missed/<subject>).
CREATE INDEX alerts_id ON supervision.alerts (id);
-- Open cases with a red card (overdueOpen) are counted at query time: the accepted cases still open, and the clocks
-- with a red card.
CREATE INDEX cases_open ON approval.cases (region, accepted_on) INCLUDE (subject, department_code, item_code, case_type)
    WHERE concluded_on IS NULL AND accepted_on IS NOT NULL AND status NOT IN ('withdrawn', 'refused');
CREATE INDEX case_clocks_red ON supervision.case_clocks (subject) WHERE red_alert_id IS NOT NULL;

-- The backfill: the sums of every case's facts (the statement of CaseMonthCounts.recount).
INSERT INTO approval.monthly_counts
SELECT region, department_code, item_code, case_type, month, count(*), sum(accepted), sum(refused), sum(concluded), sum(concluded_on_time),
       sum(concluded_early), sum(overdue_concluded), count(working_days_used), coalesce(sum(working_days_used), 0), sum(urged), sum(urges_met),
       sum(urges_missed), sum(rated), sum(satisfied), sum(bad_ratings), sum(bad_ratings_rectified), sum(bad_ratings_rectified_in_time),
       sum(yellow_cards), sum(red_cards)
FROM approval.case_facts GROUP BY region, department_code, item_code, case_type, month;
INSERT INTO approval.monthly_working_days
SELECT region, department_code, item_code, case_type, month, working_days_used, count(*)
FROM approval.case_facts WHERE working_days_used IS NOT NULL GROUP BY region, department_code, item_code, case_type, month, working_days_used;
INSERT INTO approval.monthly_limits
SELECT region, department_code, item_code, case_type, month, statutory_limit, promised_limit, count(*)
FROM approval.case_facts WHERE statutory_limit IS NOT NULL
GROUP BY region, department_code, item_code, case_type, month, statutory_limit, promised_limit;
