-- The latest urge (督办, CaseUrged / LetterUrged) of each case and mailbox letter: its day, its deadline and whether it was
-- met (the Urge rule, Sources/ChanceryDomain/Supervision/UrgeRule.swift), for /v1/metrics/cases and /v1/metrics/interactions.
-- Columns only, no data: rows projected before this migration keep nulls until the read models are rebuilt from the log.
-- Dates are civil dates in the region's time zone (Asia/Shanghai for China).

ALTER TABLE approval.cases
    ADD COLUMN urged_at timestamptz,
    ADD COLUMN urged_on date,
    ADD COLUMN urge_deadline date,
    ADD COLUMN urge_met boolean;
COMMENT ON COLUMN approval.cases.urged_at IS 'Business time of the latest CaseUrged (督办); null if the case was never urged. An urge-missed alert raised before it concerns an earlier urge.';
COMMENT ON COLUMN approval.cases.urged_on IS 'Date of the latest urge (督办) in the region''s time zone; null if the case was never urged.';
COMMENT ON COLUMN approval.cases.urge_deadline IS 'Last day to act on the latest urge (督办期限): the event''s deadline, else the urgeLimit-th working day after the urge day on the region''s calendar (supervision policy urgeLimit, 5 working days by default); null when never urged, or when the urge named no deadline and no calendar covers the region.';
COMMENT ON COLUMN approval.cases.urge_met IS 'Whether the latest urge was met: a StepCompleted, CaseDecided or CaseConcluded on a day from urged_on through urge_deadline (both included). False from the urge until such an action (a new urge starts over); null if never urged. A false urge is escalated by the supervisor the day after its deadline (IrregularityFlagged irregularity/urge-missed/<case>).';

ALTER TABLE interaction.letters
    ADD COLUMN urged_at timestamptz,
    ADD COLUMN urged_on date,
    ADD COLUMN urge_deadline date,
    ADD COLUMN urge_met boolean;
COMMENT ON COLUMN interaction.letters.urged_at IS 'Business time of the latest LetterUrged (督办); null if the letter was never urged. An urge-missed alert raised before it concerns an earlier urge.';
COMMENT ON COLUMN interaction.letters.urged_on IS 'Date of the latest urge (督办) in the region''s time zone; null if the letter was never urged.';
COMMENT ON COLUMN interaction.letters.urge_deadline IS 'Last day to act on the latest urge (督办期限): the event''s deadline, else the urgeLimit-th working day after the urge day on the region''s calendar (supervision policy urgeLimit, 5 working days by default); null when never urged, or when the urge named no deadline and no calendar covers the region.';
COMMENT ON COLUMN interaction.letters.urge_met IS 'Whether the latest urge was met: a LetterTransferred, LetterEscalated, LetterExtensionGranted or LetterReplied on a day from urged_on through urge_deadline (both included). False from the urge until such an action (a new urge starts over); null if never urged.';
