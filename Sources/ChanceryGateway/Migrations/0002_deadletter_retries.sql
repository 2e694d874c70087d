-- Re-submissions of dead letters (chancery deadletter retry).
CREATE TABLE audit.deadletter_retries (
    deadletter_topic text NOT NULL,
    deadletter_partition integer NOT NULL,
    deadletter_offset bigint NOT NULL,
    error_code text NOT NULL,
    corrected boolean NOT NULL,
    inbound_topic text NOT NULL,
    inbound_partition integer NOT NULL,
    inbound_offset bigint NOT NULL,
    retried_at timestamptz NOT NULL DEFAULT now(),
    retried_by text NOT NULL,
    PRIMARY KEY (deadletter_topic, deadletter_partition, deadletter_offset, retried_at)
);
COMMENT ON TABLE audit.deadletter_retries IS 'Each re-submission of a dead letter to the inbound topic: which dead letter, why it was refused, whether its value was corrected, where the retry landed, when and by whom.';
COMMENT ON COLUMN audit.deadletter_retries.corrected IS 'True when the retry sent a corrected value instead of the original bytes.';
COMMENT ON COLUMN audit.deadletter_retries.retried_by IS 'The operator (the user running chancery deadletter retry, or --by).';
