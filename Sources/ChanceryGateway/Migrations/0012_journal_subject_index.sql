-- A stream's history is read from the log of record (GET /v1/streams/{subject}, chancery history): index the journal's
-- canonical events by stream and sequence (dead letters, without subject, are left out).
CREATE INDEX journal_subject_sequence ON audit.journal (subject, sequence, position) WHERE subject IS NOT NULL;
