-- Chancery read models, version 1. One schema per concern (DESIGN.md, "Read models").
CREATE SCHEMA IF NOT EXISTS projection;
COMMENT ON SCHEMA projection IS 'Bookkeeping of the consumers that build read models: offsets stored with each change.';
CREATE SCHEMA IF NOT EXISTS audit;
COMMENT ON SCHEMA audit IS 'Every canonical event as appended, for history, verification and idempotency.';
CREATE SCHEMA IF NOT EXISTS catalog;
COMMENT ON SCHEMA catalog IS 'The item catalogue (政务服务事项目录).';
CREATE SCHEMA IF NOT EXISTS approval;
COMMENT ON SCHEMA approval IS 'Online approval (网上审批): cases and their counts.';
CREATE SCHEMA IF NOT EXISTS disclosure;
COMMENT ON SCHEMA disclosure IS 'Government information disclosure (政府信息公开).';
CREATE SCHEMA IF NOT EXISTS supervision;
COMMENT ON SCHEMA supervision IS 'Electronic supervision (电子监察): clocks, alerts and efficiency metrics.';

CREATE TABLE projection.consumer_offsets (
    consumer_group text NOT NULL,
    topic text NOT NULL,
    partition integer NOT NULL,
    next_offset bigint NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer_group, topic, partition)
);
COMMENT ON TABLE projection.consumer_offsets IS 'Next Kafka offset to read per consumer group and partition, written in the same transaction as the read-model change it covers (exactly-once).';
COMMENT ON COLUMN projection.consumer_offsets.consumer_group IS 'Kafka consumer group id, e.g. chancery-projector.';
COMMENT ON COLUMN projection.consumer_offsets.next_offset IS 'Offset of the next record to consume (last applied + 1).';

CREATE TABLE audit.events (
    subject text NOT NULL,
    sequence bigint NOT NULL,
    source text NOT NULL,
    id text NOT NULL,
    type text NOT NULL,
    region text NOT NULL,
    time timestamptz NOT NULL,
    time_text text NOT NULL,
    recorded_time timestamptz NOT NULL,
    topic text NOT NULL,
    partition integer NOT NULL,
    "offset" bigint NOT NULL,
    prevhash text NOT NULL,
    hash text NOT NULL,
    content_digest text NOT NULL,
    event jsonb NOT NULL,
    PRIMARY KEY (subject, sequence),
    UNIQUE (source, id)
);
COMMENT ON TABLE audit.events IS 'Every canonical event once, in stream order: the case timeline, the idempotency record and the hash chain.';
COMMENT ON COLUMN audit.events.subject IS 'Stream id, <kind>/<region>/<number>.';
COMMENT ON COLUMN audit.events.sequence IS 'Per-stream version assigned by the gateway (1, 2, 3 …).';
COMMENT ON COLUMN audit.events.time IS 'Business time of the event (CloudEvents time).';
COMMENT ON COLUMN audit.events.time_text IS 'The time exactly as sent (RFC 3339 with its offset).';
COMMENT ON COLUMN audit.events.recorded_time IS 'When the gateway appended it.';
COMMENT ON COLUMN audit.events.content_digest IS 'SHA-256 of what the publisher sent; the same source+id with another digest is refused.';
COMMENT ON COLUMN audit.events.event IS 'The whole CloudEvent as appended (structured JSON).';
CREATE INDEX events_type_time ON audit.events (type, time);

CREATE TABLE audit.quarantine (
    topic text NOT NULL,
    partition integer NOT NULL,
    "offset" bigint NOT NULL,
    consumer_group text NOT NULL,
    subject text,
    reason text NOT NULL,
    record bytea NOT NULL,
    quarantined_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer_group, topic, partition, "offset")
);
COMMENT ON TABLE audit.quarantine IS 'Records a consumer refused to apply: undecodable, or breaking a stream''s sequence/prevhash continuity (gap or fork). Never applied silently (DESIGN.md guarantee 9).';

CREATE TABLE approval.stream_heads (
    stream text PRIMARY KEY,
    sequence bigint NOT NULL,
    hash text NOT NULL,
    state jsonb,
    updated_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE approval.stream_heads IS 'Head of every stream (all topics): last sequence, last hash and lifecycle state; the gateway restores from it.';

CREATE TABLE catalog.items (
    subject text PRIMARY KEY,
    region text NOT NULL,
    item_code text NOT NULL,
    item_name text NOT NULL,
    item_kind text NOT NULL,
    department_code text NOT NULL,
    department_name text NOT NULL,
    statutory_limit integer NOT NULL,
    promised_limit integer NOT NULL,
    case_type text NOT NULL,
    legal_basis text,
    registered_at timestamptz NOT NULL,
    confirmed_at timestamptz,
    UNIQUE (region, item_code)
);
COMMENT ON TABLE catalog.items IS 'Catalogued items (政务服务事项) per region.';
COMMENT ON COLUMN catalog.items.item_code IS 'Item code (事项编码, GB/T 39046 SXBM).';
COMMENT ON COLUMN catalog.items.item_kind IS 'licensing | non-licensing-approval | public-service | other-power (事项类型).';
COMMENT ON COLUMN catalog.items.statutory_limit IS 'Statutory limit (法定办结时限), working days.';
COMMENT ON COLUMN catalog.items.promised_limit IS 'Promised limit (承诺办结时限), working days.';
COMMENT ON COLUMN catalog.items.case_type IS 'immediate | promised | reported-upward | joint (办件类型).';
COMMENT ON COLUMN catalog.items.confirmed_at IS 'When its department confirmed it in the catalogue clean-up.';

CREATE TABLE approval.cases (
    subject text PRIMARY KEY,
    region text NOT NULL,
    case_number text NOT NULL,
    item_code text NOT NULL,
    department_code text NOT NULL,
    status text NOT NULL,
    case_type text,
    applicant_name text,
    submitted_at timestamptz NOT NULL,
    accepted_at timestamptz,
    accepted_on date,
    refused_at timestamptz,
    decided_at timestamptz,
    decision text,
    concluded_at timestamptz,
    concluded_on date,
    promised_limit integer,
    statutory_limit integer,
    deadline date,
    working_days_used integer,
    outcome text,
    clock jsonb,
    last_sequence bigint NOT NULL
);
COMMENT ON TABLE approval.cases IS 'One row per case (办件): current state, dates, clock and outcome.';
COMMENT ON COLUMN approval.cases.status IS 'submitted | accepted | supplementing | decided | concluded | refused.';
COMMENT ON COLUMN approval.cases.applicant_name IS 'Personal data: never served unmasked on public endpoints.';
COMMENT ON COLUMN approval.cases.accepted_on IS 'Acceptance date in the region''s time zone.';
COMMENT ON COLUMN approval.cases.deadline IS 'Last working day within the promised limit, counting from the day after acceptance, shifted by supplement pauses; null while paused.';
COMMENT ON COLUMN approval.cases.working_days_used IS 'Working days used up to conclusion (or up to the last event for an open case), supplement pauses excluded.';
COMMENT ON COLUMN approval.cases.outcome IS 'For concluded cases: early | on-time | overdue against the promised limit.';
COMMENT ON COLUMN approval.cases.clock IS 'The domain CaseClock (JSON) the projector evolves.';
CREATE INDEX cases_department ON approval.cases (region, department_code);
CREATE INDEX cases_accepted_on ON approval.cases (accepted_on);

CREATE TABLE approval.daily_counts (
    region text NOT NULL,
    department_code text NOT NULL,
    item_code text NOT NULL,
    day date NOT NULL,
    submitted integer NOT NULL DEFAULT 0,
    accepted integer NOT NULL DEFAULT 0,
    refused integer NOT NULL DEFAULT 0,
    concluded integer NOT NULL DEFAULT 0,
    PRIMARY KEY (region, department_code, item_code, day)
);
COMMENT ON TABLE approval.daily_counts IS 'Department × item × day counts of submitted, accepted, refused and concluded cases (day in the region''s time zone).';

CREATE TABLE disclosure.documents (
    subject text PRIMARY KEY,
    region text NOT NULL,
    title text NOT NULL,
    category text NOT NULL,
    department_code text NOT NULL,
    document_number text,
    published_at timestamptz NOT NULL,
    reported_at timestamptz,
    reported_to text
);
COMMENT ON TABLE disclosure.documents IS 'Proactively disclosed documents (主动公开): the public disclosure catalogue by category.';
COMMENT ON COLUMN disclosure.documents.category IS 'One of the 12 disclosure categories (公开类别), e.g. work-updates.';
COMMENT ON COLUMN disclosure.documents.reported_at IS 'When forwarded by direct reporting (直报) to the city portal.';

CREATE VIEW disclosure.catalog_by_category AS
    SELECT region, category, count(*) AS published, count(reported_at) AS reported
    FROM disclosure.documents GROUP BY region, category;
COMMENT ON VIEW disclosure.catalog_by_category IS 'Published and directly reported documents per region and disclosure category.';

CREATE TABLE disclosure.requests (
    subject text PRIMARY KEY,
    region text NOT NULL,
    department_code text NOT NULL,
    requester_name text NOT NULL,
    requester_kind text NOT NULL,
    description text NOT NULL,
    received_at timestamptz NOT NULL,
    answered_at timestamptz,
    outcome text,
    note text
);
COMMENT ON TABLE disclosure.requests IS 'Disclosure requests (依申请公开) and their replies.';
COMMENT ON COLUMN disclosure.requests.requester_name IS 'Personal data: masked on public endpoints.';
COMMENT ON COLUMN disclosure.requests.outcome IS 'disclosed | partially-disclosed | withheld | cannot-provide | not-processed | other (办理结果).';

CREATE TABLE supervision.case_clocks (
    subject text PRIMARY KEY,
    region text NOT NULL,
    department_code text NOT NULL,
    item_code text NOT NULL,
    status text NOT NULL,
    accepted_on date,
    promised_limit integer,
    clock jsonb,
    deadline date,
    concluded_on date,
    working_days_used integer,
    outcome text,
    red_alert_id text,
    last_sequence bigint NOT NULL
);
COMMENT ON TABLE supervision.case_clocks IS 'The supervisor''s clock of every case: deadline, working days used, outcome and red card.';
COMMENT ON COLUMN supervision.case_clocks.status IS 'submitted | accepted | supplementing | concluded | refused.';
COMMENT ON COLUMN supervision.case_clocks.deadline IS 'Last working day within the promised limit (null before acceptance and while a supplement is outstanding).';
COMMENT ON COLUMN supervision.case_clocks.working_days_used IS 'Working days used at conclusion, supplement pauses excluded.';
COMMENT ON COLUMN supervision.case_clocks.outcome IS 'early | on-time | overdue against the promised limit.';
COMMENT ON COLUMN supervision.case_clocks.red_alert_id IS 'Id of the DeadlineBreached alert raised for this case, if any (deterministic).';
CREATE INDEX case_clocks_open ON supervision.case_clocks (deadline) WHERE concluded_on IS NULL AND red_alert_id IS NULL;

CREATE TABLE supervision.watermarks (
    consumer_group text NOT NULL,
    topic text NOT NULL,
    partition integer NOT NULL,
    event_time timestamptz NOT NULL,
    PRIMARY KEY (consumer_group, topic, partition)
);
COMMENT ON TABLE supervision.watermarks IS 'Highest business time seen per partition by each supervisor group; the supervisor''s clock is the minimum over its partitions (time advances by event time).';

CREATE TABLE supervision.alerts (
    subject text PRIMARY KEY,
    id text NOT NULL,
    region text NOT NULL,
    case_subject text NOT NULL,
    department_code text NOT NULL,
    item_code text NOT NULL,
    card text NOT NULL,
    deadline date NOT NULL,
    raised_at timestamptz NOT NULL
);
COMMENT ON TABLE supervision.alerts IS 'Alerts (yellow/red cards) as appended to gov.supervision, projected from the log.';

CREATE VIEW supervision.department_monthly_metrics AS
    SELECT region, department_code, month,
           sum(accepted)::int AS accepted,
           sum(concluded)::int AS concluded,
           sum(on_time)::int AS concluded_on_time,
           sum(early)::int AS concluded_early,
           sum(overdue_concluded)::int AS overdue_concluded,
           sum(overdue_open)::int AS overdue_open,
           round(avg(used) FILTER (WHERE concluded = 1), 2) AS mean_working_days,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY used) FILTER (WHERE concluded = 1) AS median_working_days
    FROM (
        SELECT region, department_code, date_trunc('month', accepted_on)::date AS month,
               1 AS accepted, 0 AS concluded, 0 AS on_time, 0 AS early, 0 AS overdue_concluded,
               CASE WHEN concluded_on IS NULL AND red_alert_id IS NOT NULL THEN 1 ELSE 0 END AS overdue_open,
               NULL::int AS used
        FROM supervision.case_clocks WHERE accepted_on IS NOT NULL
        UNION ALL
        SELECT region, department_code, date_trunc('month', concluded_on)::date,
               0, 1, CASE WHEN outcome IN ('on-time', 'early') THEN 1 ELSE 0 END,
               CASE WHEN outcome = 'early' THEN 1 ELSE 0 END,
               CASE WHEN outcome = 'overdue' THEN 1 ELSE 0 END, 0, working_days_used
        FROM supervision.case_clocks WHERE concluded_on IS NOT NULL
    ) AS facts
    GROUP BY region, department_code, month;
COMMENT ON VIEW supervision.department_monthly_metrics IS 'Per region, department and month: accepted (by acceptance month), concluded, on time (within the promised limit), early (before it), overdue concluded, overdue open, mean and median working days used (by conclusion month).';

CREATE TABLE projection.stream_positions (
    consumer_group text NOT NULL,
    stream text NOT NULL,
    sequence bigint NOT NULL,
    hash text NOT NULL,
    PRIMARY KEY (consumer_group, stream)
);
COMMENT ON TABLE projection.stream_positions IS 'Last applied sequence and hash of each stream per consumer group: the continuity check that skips duplicates and quarantines gaps and forks (DESIGN.md guarantee 9).';
