-- Electronic supervision beyond cases: reply clocks of disclosure requests, letters, consultations and complaints;
-- step limits, the rectification of bad ratings, and the day each watched stream can next fall due.

ALTER TABLE supervision.case_clocks
    ADD COLUMN steps_completed jsonb NOT NULL DEFAULT '{}',
    ADD COLUMN step_alert_ids text[] NOT NULL DEFAULT '{}',
    ADD COLUMN rectification jsonb,
    ADD COLUMN rectified_on date,
    ADD COLUMN next_due_on date;
COMMENT ON COLUMN supervision.case_clocks.steps_completed IS 'The day each handling step was completed (StepCompleted): {"handling": "YYYY-MM-DD", "review": …, "decision": …}; the next step starts that day.';
COMMENT ON COLUMN supervision.case_clocks.step_alert_ids IS 'Ids of the red cards raised for steps past their own limit (step/<step>/<case subject>).';
COMMENT ON COLUMN supervision.case_clocks.rectification IS 'The rectification clock of a bad rating (差评, level 4 or 5) as the domain InteractionClock JSON: {"kind": "rectification", "startedOn", "limit", "extensions"}.';
COMMENT ON COLUMN supervision.case_clocks.rectified_on IS 'The day BadRatingRectified was recorded.';
COMMENT ON COLUMN supervision.case_clocks.next_due_on IS 'The first day on which another alert can fall due for the case if nothing else happens (a yellow or red card, a step card, an urge escalation, an unrectified bad rating); null when none can.';
COMMENT ON COLUMN supervision.case_clocks.urge IS 'The latest urge (督办): {"urgedOn": "YYYY-MM-DD", "deadline": "YYYY-MM-DD"}, the deadline its own or the supervision policy''s urgeLimit.';
CREATE INDEX case_clocks_next_due ON supervision.case_clocks (region, next_due_on) WHERE next_due_on IS NOT NULL;

CREATE TABLE supervision.reply_clocks (
    subject text PRIMARY KEY,
    region text NOT NULL,
    kind text NOT NULL,
    department_code text NOT NULL,
    mailbox text,
    item_code text,
    clock jsonb NOT NULL,
    deadline date,
    answered_on date,
    yellow_alert_id text,
    red_alert_id text,
    urge jsonb,
    urge_met boolean NOT NULL DEFAULT false,
    irregularity_alert_ids text[] NOT NULL DEFAULT '{}',
    next_due_on date,
    last_sequence bigint NOT NULL
);
COMMENT ON TABLE supervision.reply_clocks IS 'The supervisor''s reply clock of every disclosure request, mailbox letter, consultation and complaint, and the alerts raised for it.';
COMMENT ON COLUMN supervision.reply_clocks.kind IS 'request | letter | consultation | complaint (the stream kind).';
COMMENT ON COLUMN supervision.reply_clocks.department_code IS 'The unit that answers for it: the department of a request, consultation or complaint; for a letter the department it was last transferred to, else its mailbox.';
COMMENT ON COLUMN supervision.reply_clocks.mailbox IS 'A letter''s mailbox (信箱), which answers for it while no department has it.';
COMMENT ON COLUMN supervision.reply_clocks.clock IS 'The domain ReplyClock JSON: {"request": DisclosureRequestClock} or {"interaction": InteractionClock}.';
COMMENT ON COLUMN supervision.reply_clocks.deadline IS 'Last working day to answer; null while a stopped clock (an outstanding supplement) holds it open.';
COMMENT ON COLUMN supervision.reply_clocks.answered_on IS 'The day of the answer (DisclosureRequestAnswered, LetterReplied, ConsultationAnswered, ComplaintAnswered).';
COMMENT ON COLUMN supervision.reply_clocks.yellow_alert_id IS 'Id of the DeadlineWarningRaised alert (yellow/<subject>), once raised.';
COMMENT ON COLUMN supervision.reply_clocks.red_alert_id IS 'Id of the DeadlineBreached alert (red/<subject>), once raised.';
COMMENT ON COLUMN supervision.reply_clocks.urge IS 'A letter''s latest urge (LetterUrged): {"urgedOn", "deadline"}.';
COMMENT ON COLUMN supervision.reply_clocks.urge_met IS 'Whether the letter was transferred, escalated, extended or replied to from the urge day through its deadline.';
COMMENT ON COLUMN supervision.reply_clocks.irregularity_alert_ids IS 'Ids of the IrregularityFlagged alerts raised for it (an urge missed).';
COMMENT ON COLUMN supervision.reply_clocks.next_due_on IS 'The first day on which another alert can fall due if nothing else happens; null when none can.';
CREATE INDEX reply_clocks_next_due ON supervision.reply_clocks (region, next_due_on) WHERE next_due_on IS NOT NULL;

ALTER TABLE supervision.alerts ADD COLUMN step text;
COMMENT ON COLUMN supervision.alerts.case_subject IS 'The stream the alert is about (监察对象): a case, disclosure request, letter, consultation or complaint.';
COMMENT ON COLUMN supervision.alerts.step IS 'For a step''s red card: the handling step (handling | review | decision) that passed its own limit.';

-- Cases already watched: an early estimate of their next due day (the yellow day, the day after the deadline, the
-- day after an urge's deadline); the supervisor computes the exact day the first time it looks at each.
UPDATE supervision.case_clocks SET next_due_on = LEAST(
        CASE WHEN red_alert_id IS NULL AND yellow_alert_id IS NULL THEN yellow_on END,
        CASE WHEN red_alert_id IS NULL THEN deadline + 1 END,
        CASE WHEN urge IS NOT NULL AND NOT urge_met THEN (urge ->> 'deadline')::date + 1 END)
    WHERE concluded_on IS NULL AND status IN ('accepted', 'supplementing', 'special-procedure', 'reported-upward', 'decided');
