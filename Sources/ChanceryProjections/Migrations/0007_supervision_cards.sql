-- The supervisor's yellow cards, irregularities and resolutions; statutory deadlines; the clock with special
-- procedures (CaseClock JSON gains promisedLimitUnit, statutoryLimit and specialProcedures).

ALTER TABLE supervision.case_clocks
    ADD COLUMN case_type text,
    ADD COLUMN statutory_deadline date,
    ADD COLUMN yellow_on date,
    ADD COLUMN yellow_alert_id text,
    ADD COLUMN review_completed boolean NOT NULL DEFAULT false,
    ADD COLUMN supplements integer NOT NULL DEFAULT 0,
    ADD COLUMN irregularity_alert_ids text[] NOT NULL DEFAULT '{}',
    ADD COLUMN resolved_on date;
COMMENT ON COLUMN supervision.case_clocks.status IS 'submitted | accepted | supplementing | special-procedure | reported-upward | decided | concluded | delivered | refused | withdrawn.';
COMMENT ON COLUMN supervision.case_clocks.clock IS 'The domain CaseClock as JSON: acceptedOn, promisedLimit, promisedLimitUnit (working-days | calendar-days), statutoryLimit, pausedSince, pauses (supplements), specialProcedures (kind, startedOn, endedOn).';
COMMENT ON COLUMN supervision.case_clocks.deadline IS 'Last day within the promised limit (in its unit), pauses and special procedures excluded; null while a pause is open and the limit not yet reached.';
COMMENT ON COLUMN supervision.case_clocks.statutory_deadline IS 'Last working day within the statutory limit (法定办结时限), when the case has one.';
COMMENT ON COLUMN supervision.case_clocks.yellow_on IS 'The day the yellow card (黄牌) falls due under the supervision policy, if nothing changes.';
COMMENT ON COLUMN supervision.case_clocks.yellow_alert_id IS 'Id of the DeadlineWarningRaised alert (yellow/<case subject>), once raised.';
COMMENT ON COLUMN supervision.case_clocks.review_completed IS 'Whether the review step (审核) was completed; a decision without it is an irregularity.';
COMMENT ON COLUMN supervision.case_clocks.irregularity_alert_ids IS 'Ids of the IrregularityFlagged alerts raised for the case.';
COMMENT ON COLUMN supervision.case_clocks.resolved_on IS 'The day the case left supervision (concluded, refused or withdrawn) and its alerts were resolved (AlertResolved).';
CREATE INDEX case_clocks_yellow ON supervision.case_clocks (yellow_on) WHERE concluded_on IS NULL AND yellow_alert_id IS NULL AND red_alert_id IS NULL;

ALTER TABLE supervision.alerts
    ALTER COLUMN item_code DROP NOT NULL,
    ALTER COLUMN deadline DROP NOT NULL,
    ADD COLUMN alert_type text NOT NULL DEFAULT 'DeadlineBreached',
    ADD COLUMN irregularity_kind text,
    ADD COLUMN resolved_at timestamptz,
    ADD COLUMN resolution text;
ALTER TABLE supervision.alerts ALTER COLUMN alert_type DROP DEFAULT;
COMMENT ON TABLE supervision.alerts IS 'Alerts as appended to gov.supervision, projected from the log: yellow and red deadline cards and irregularities, with their resolution.';
COMMENT ON COLUMN supervision.alerts.alert_type IS 'DeadlineWarningRaised (yellow card) | DeadlineBreached (red card) | IrregularityFlagged.';
COMMENT ON COLUMN supervision.alerts.deadline IS 'The deadline the card concerns (null for an irregularity).';
COMMENT ON COLUMN supervision.alerts.irregularity_kind IS 'For IrregularityFlagged: refusal-without-reason | repeated-supplement | skipped-step | backdated-event | unrectified-bad-rating | other.';
COMMENT ON COLUMN supervision.alerts.resolved_at IS 'When AlertResolved closed the alert (the case concluded, was refused or withdrawn).';
CREATE INDEX alerts_case ON supervision.alerts (case_subject);
