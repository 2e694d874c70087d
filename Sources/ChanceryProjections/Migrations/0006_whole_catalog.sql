-- Read models for the rest of the event catalog: the whole life of a case (special procedures, reporting
-- upward, urges, withdrawal, delivery, rating and its rectification), item revisions and retirements,
-- document revisions and withdrawals, the steps of a disclosure request, and the interaction topic
-- (mailbox letters, consultations, complaints). Facts only: deadlines and "in time" are the supervisor's.

ALTER TABLE catalog.items
    ADD COLUMN revised_at timestamptz,
    ADD COLUMN retired_at timestamptz,
    ADD COLUMN retirement_kind text;
COMMENT ON COLUMN catalog.items.revised_at IS 'Last revision (ItemRevised); the item must be confirmed again after it.';
COMMENT ON COLUMN catalog.items.retired_at IS 'When the item left the catalogue (ItemRetired); no new case is accepted for it.';
COMMENT ON COLUMN catalog.items.retirement_kind IS 'cancelled | delegated | converted (取消, 下放, 调整管理方式).';

ALTER TABLE approval.cases
    ADD COLUMN refusal_reason text,
    ADD COLUMN refused_on date,
    ADD COLUMN special_procedure_kind text,
    ADD COLUMN special_procedures integer NOT NULL DEFAULT 0,
    ADD COLUMN reported_upward_at timestamptz,
    ADD COLUMN returned_from_upward_at timestamptz,
    ADD COLUMN review_completed_at timestamptz,
    ADD COLUMN urges integer NOT NULL DEFAULT 0,
    ADD COLUMN withdrawn_at timestamptz,
    ADD COLUMN delivered_at timestamptz,
    ADD COLUMN satisfaction_code smallint,
    ADD COLUMN rated_at timestamptz,
    ADD COLUMN rectified_at timestamptz,
    ADD COLUMN follow_up_satisfaction_code smallint,
    ADD COLUMN promised_limit_unit text,
    ADD COLUMN statutory_deadline date;
COMMENT ON COLUMN approval.cases.status IS 'submitted | accepted | supplementing | reported-upward | decided | concluded | delivered | refused | withdrawn.';
COMMENT ON COLUMN approval.cases.refusal_reason IS 'Reason of the refusal at intake (不予受理理由).';
COMMENT ON COLUMN approval.cases.refused_on IS 'Date of the refusal at intake in the region''s time zone.';
CREATE INDEX cases_concluded_on ON approval.cases (concluded_on);
COMMENT ON COLUMN approval.cases.special_procedure_kind IS 'The special procedure (特别程序) running now, or null: hearing | expert-review | inspection | public-notice | extension | other.';
COMMENT ON COLUMN approval.cases.special_procedures IS 'How many special procedures the case went through.';
COMMENT ON COLUMN approval.cases.review_completed_at IS 'When the review step (审核) was completed; a decision without it is an irregularity.';
COMMENT ON COLUMN approval.cases.urges IS 'How many times the case was urged (督办).';
COMMENT ON COLUMN approval.cases.satisfaction_code IS 'Service rating (好差评) 1 very satisfied … 5 very dissatisfied; 4 and 5 are bad ratings.';
COMMENT ON COLUMN approval.cases.rectified_at IS 'When a bad rating was rectified (差评整改).';
COMMENT ON COLUMN approval.cases.statutory_deadline IS 'Last working day within the statutory limit (法定办结时限), pauses and special procedures excluded.';
COMMENT ON COLUMN approval.cases.promised_limit_unit IS 'working-days | calendar-days (承诺办结时限单位; CaseAccepted v1 means working-days).';

ALTER TABLE disclosure.documents
    ADD COLUMN revisions integer NOT NULL DEFAULT 0,
    ADD COLUMN revised_at timestamptz,
    ADD COLUMN withdrawn_at timestamptz;
COMMENT ON COLUMN disclosure.documents.withdrawn_at IS 'When the document was withdrawn (撤销); withdrawn documents leave the public listing.';

ALTER TABLE disclosure.requests
    ADD COLUMN supplement_requested_at timestamptz,
    ADD COLUMN supplement_received_at timestamptz,
    ADD COLUMN extended_at timestamptz,
    ADD COLUMN extension_limit integer,
    ADD COLUMN third_party_consultations integer NOT NULL DEFAULT 0,
    ADD COLUMN reconsideration_filed_at timestamptz,
    ADD COLUMN reconsideration_outcome text,
    ADD COLUMN litigation_filed_at timestamptz,
    ADD COLUMN litigation_outcome text;
COMMENT ON COLUMN disclosure.requests.extension_limit IS 'Working days of the one extension (延期答复), at most 20 (order 711) or 15 (order 492).';
COMMENT ON COLUMN disclosure.requests.reconsideration_outcome IS 'upheld | corrected | other (维持, 纠正, 其他); null while pending.';

CREATE SCHEMA IF NOT EXISTS interaction;

CREATE TABLE interaction.letters (
    subject text PRIMARY KEY,
    region text NOT NULL,
    mailbox text NOT NULL,
    letter_kind text,
    title text NOT NULL,
    writer_name text NOT NULL,
    status text NOT NULL,
    received_at timestamptz NOT NULL,
    accepted_at timestamptz,
    reply_limit integer,
    department_code text,
    transfers integer NOT NULL DEFAULT 0,
    escalations integer NOT NULL DEFAULT 0,
    urges integer NOT NULL DEFAULT 0,
    returns integer NOT NULL DEFAULT 0,
    extension_limit integer,
    replied_at timestamptz,
    published boolean
);
COMMENT ON TABLE interaction.letters IS 'Mailbox letters (书记/县长信箱来信) and how they were handled.';
COMMENT ON COLUMN interaction.letters.mailbox IS 'The leader''s mailbox the letter was written to.';
COMMENT ON COLUMN interaction.letters.writer_name IS 'Personal data: never served unmasked on public endpoints.';
COMMENT ON COLUMN interaction.letters.status IS 'received | accepted | replied.';
COMMENT ON COLUMN interaction.letters.reply_limit IS 'Reply limit in working days given at acceptance or the last transfer.';
COMMENT ON COLUMN interaction.letters.department_code IS 'The department holding the letter after the last transfer (转办), until it returns it (退回).';
COMMENT ON COLUMN interaction.letters.extension_limit IS 'Working days added by the extension (申请延时), at most once.';
CREATE INDEX letters_region ON interaction.letters (region, received_at);

CREATE TABLE interaction.consultations (
    subject text PRIMARY KEY,
    region text NOT NULL,
    department_code text NOT NULL,
    item_code text,
    channel text,
    reply_limit integer,
    received_at timestamptz NOT NULL,
    answered_at timestamptz
);
COMMENT ON TABLE interaction.consultations IS 'Consultations (咨询) about a service and their answers.';
COMMENT ON COLUMN interaction.consultations.reply_limit IS 'Reply limit in working days sent with the consultation, if any (else the configured one applies).';

CREATE TABLE interaction.complaints (
    subject text PRIMARY KEY,
    region text NOT NULL,
    department_code text NOT NULL,
    item_code text,
    case_subject text,
    channel text,
    reply_limit integer,
    received_at timestamptz NOT NULL,
    answered_at timestamptz,
    substantiated boolean
);
COMMENT ON TABLE interaction.complaints IS 'Complaints (投诉) about a service or a case and their answers.';
COMMENT ON COLUMN interaction.complaints.case_subject IS 'The case complained about, if any.';
COMMENT ON COLUMN interaction.complaints.substantiated IS 'Whether the complaint was found substantiated (属实).';
