-- The supervisor's yellow cards, irregularities and resolutions; statutory deadlines; the clock with special
-- procedures (CaseClock JSON gains promisedLimitUnit, statutoryLimit and specialProcedures).

ALTER TABLE supervision.case_clocks
    ADD COLUMN case_type text,
    ADD COLUMN statutory_deadline date,
    ADD COLUMN yellow_on date,
    ADD COLUMN yellow_alert_id text,
    ADD COLUMN review_completed boolean NOT NULL DEFAULT false,
    ADD COLUMN steps_reported boolean NOT NULL DEFAULT false,
    ADD COLUMN supplements integer NOT NULL DEFAULT 0,
    ADD COLUMN irregularity_alert_ids text[] NOT NULL DEFAULT '{}',
    ADD COLUMN resolved_on date,
    ADD COLUMN urge jsonb,
    ADD COLUMN urge_met boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN supervision.case_clocks.status IS 'submitted | accepted | supplementing | special-procedure | reported-upward | decided | concluded | delivered | refused | withdrawn.';
COMMENT ON COLUMN supervision.case_clocks.clock IS 'The domain CaseClock as JSON: acceptedOn, promisedLimit, promisedLimitUnit (working-days | calendar-days), statutoryLimit, pausedSince, pauses (supplements), specialProcedures (kind, startedOn, endedOn).';
COMMENT ON COLUMN supervision.case_clocks.deadline IS 'Last day within the promised limit (in its unit), pauses and special procedures excluded; null while a pause is open and the limit not yet reached.';
COMMENT ON COLUMN supervision.case_clocks.statutory_deadline IS 'Last working day within the statutory limit (法定办结时限), when the case has one.';
COMMENT ON COLUMN supervision.case_clocks.yellow_on IS 'The day the yellow card (黄牌) falls due under the supervision policy, if nothing changes.';
COMMENT ON COLUMN supervision.case_clocks.yellow_alert_id IS 'Id of the DeadlineWarningRaised alert (yellow/<case subject>), once raised.';
COMMENT ON COLUMN supervision.case_clocks.review_completed IS 'Whether the review step (审核) was completed; a decision without it is an irregularity when the case reports its steps and is not immediate.';
COMMENT ON COLUMN supervision.case_clocks.steps_reported IS 'Whether the case reported any step (StepCompleted); cases from systems that report none are not judged on skipped steps.';
COMMENT ON COLUMN supervision.case_clocks.irregularity_alert_ids IS 'Ids of the IrregularityFlagged alerts raised for the case.';
COMMENT ON COLUMN supervision.case_clocks.urge IS 'The latest urge (督办) with a deadline: {"urgedOn": "YYYY-MM-DD", "deadline": "YYYY-MM-DD"}.';
COMMENT ON COLUMN supervision.case_clocks.urge_met IS 'Whether the department acted on the case (a step, the decision, the conclusion) from the urge day through its deadline; if not, the urge escalates the day after (IrregularityFlagged urge-missed).';
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

-- Clocks of disclosure requests, letters, consultations, complaints and bad-rating rectifications, and whether
-- each was answered in time (the projector evolves them with the region's calendar).
ALTER TABLE disclosure.requests
    ADD COLUMN clock jsonb,
    ADD COLUMN deadline date,
    ADD COLUMN answered_in_time boolean;
COMMENT ON COLUMN disclosure.requests.clock IS 'The domain DisclosureRequestClock (JSON): regime (order-711 | order-492), correction, extension, third-party consultations.';
COMMENT ON COLUMN disclosure.requests.deadline IS 'Last working day to reply (政府信息公开条例 2019 第三十三条; order 492 before 2019-05-15); null while a correction is awaited.';
COMMENT ON COLUMN disclosure.requests.answered_in_time IS 'Whether the reply came by the deadline (按时答复).';

ALTER TABLE interaction.letters ADD COLUMN clock jsonb, ADD COLUMN deadline date, ADD COLUMN replied_in_time boolean;
ALTER TABLE interaction.consultations ADD COLUMN clock jsonb, ADD COLUMN deadline date, ADD COLUMN replied_in_time boolean;
ALTER TABLE interaction.complaints ADD COLUMN clock jsonb, ADD COLUMN deadline date, ADD COLUMN replied_in_time boolean;
COMMENT ON COLUMN interaction.letters.deadline IS 'Last working day to reply: from receipt, the reply limit of the acceptance or last transfer (else the configured letter limit), plus the extension.';
COMMENT ON COLUMN interaction.letters.replied_in_time IS 'Whether the reply came by the deadline (按时办结).';
COMMENT ON COLUMN interaction.consultations.deadline IS 'Last working day to answer: the limit sent with the consultation, else the configured one.';
COMMENT ON COLUMN interaction.complaints.deadline IS 'Last working day to answer: the limit sent with the complaint, else the configured one.';

ALTER TABLE approval.cases ADD COLUMN rectification_deadline date, ADD COLUMN rectified_in_time boolean;
COMMENT ON COLUMN approval.cases.rectification_deadline IS 'For a bad rating (4–5): last working day to rectify it (configured limit, 10 working days by default).';
COMMENT ON COLUMN approval.cases.rectified_in_time IS 'Whether the bad rating was rectified by its deadline (差评整改及时).';

ALTER TABLE disclosure.requests ADD COLUMN received_on date;
ALTER TABLE interaction.letters ADD COLUMN received_on date;
ALTER TABLE interaction.consultations ADD COLUMN received_on date;
ALTER TABLE interaction.complaints ADD COLUMN received_on date;
COMMENT ON COLUMN disclosure.requests.received_on IS 'Date of receipt in the region''s time zone (the period a request counts in).';
COMMENT ON COLUMN interaction.letters.received_on IS 'Date of receipt in the region''s time zone (the period a letter counts in).';
COMMENT ON COLUMN interaction.consultations.received_on IS 'Date of receipt in the region''s time zone.';
COMMENT ON COLUMN interaction.complaints.received_on IS 'Date of receipt in the region''s time zone.';
