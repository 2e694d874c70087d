-- One fold per stream that owes a reply (ReplyFile in the domain): the projector and the supervisor store the file
-- they fold, as they store a case's file (0014). Rows written before: the projector folds them again from
-- audit.events, the supervisor from its columns.
ALTER TABLE disclosure.requests ADD COLUMN reply_file jsonb, ADD COLUMN last_sequence bigint;
ALTER TABLE interaction.letters ADD COLUMN reply_file jsonb, ADD COLUMN last_sequence bigint;
ALTER TABLE interaction.consultations ADD COLUMN reply_file jsonb, ADD COLUMN last_sequence bigint;
ALTER TABLE interaction.complaints ADD COLUMN reply_file jsonb, ADD COLUMN last_sequence bigint;
ALTER TABLE supervision.reply_clocks ADD COLUMN reply_file jsonb;
COMMENT ON COLUMN disclosure.requests.reply_file IS 'The domain ReplyFile JSON: the request folded from its events (lifecycle, clock, answer).';
COMMENT ON COLUMN disclosure.requests.last_sequence IS 'Sequence of the last event folded into the row.';
COMMENT ON COLUMN interaction.letters.reply_file IS 'The domain ReplyFile JSON: the letter folded from its events (lifecycle, clock, holder, urge, reply).';
COMMENT ON COLUMN interaction.letters.last_sequence IS 'Sequence of the last event folded into the row.';
COMMENT ON COLUMN interaction.consultations.reply_file IS 'The domain ReplyFile JSON: the consultation folded from its events.';
COMMENT ON COLUMN interaction.consultations.last_sequence IS 'Sequence of the last event folded into the row.';
COMMENT ON COLUMN interaction.complaints.reply_file IS 'The domain ReplyFile JSON: the complaint folded from its events.';
COMMENT ON COLUMN interaction.complaints.last_sequence IS 'Sequence of the last event folded into the row.';
COMMENT ON COLUMN supervision.reply_clocks.reply_file IS 'The domain ReplyFile JSON the supervisor folds (the same fold as the projector''s); null on rows written before migration 0023.';
