-- The journal: the log of record when the broker keeps its log in memory (the embedded broker), and the total
-- order of the log on any install (README, "The log is the record").
CREATE TABLE audit.journal (
    position bigint PRIMARY KEY,
    commit_group bigint NOT NULL,
    topic text NOT NULL,
    partition integer NOT NULL,
    key bytea,
    value bytea NOT NULL,
    headers jsonb NOT NULL DEFAULT '[]',
    subject text,
    sequence bigint,
    hash text,
    committed_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE audit.journal IS 'Every record the gateway committed (canonical events and dead letters), in the order it committed them, written before the append is answered. With the embedded broker it is the log of record: at start the broker is seeded from it, so consumers and kcat see the whole history again.';
COMMENT ON COLUMN audit.journal.position IS 'Position in the log of record: 1, 2, 3 … in commit order, without gaps; also the Kafka header chancery-position of the record.';
COMMENT ON COLUMN audit.journal.commit_group IS 'The gateway commit (one Kafka transaction) the record belongs to; records of one group become visible together.';
COMMENT ON COLUMN audit.journal.topic IS 'Full Kafka topic name (with the configured prefix).';
COMMENT ON COLUMN audit.journal.partition IS 'Kafka partition, chosen by the gateway with Kafka''s default partitioner (murmur2 of the key) before producing.';
COMMENT ON COLUMN audit.journal.key IS 'Kafka record key (the subject of a canonical event).';
COMMENT ON COLUMN audit.journal.value IS 'Kafka record value: the CloudEvent exactly as appended (structured JSON), or the refused bytes of a dead letter.';
COMMENT ON COLUMN audit.journal.headers IS 'Kafka record headers in order: [[name, base64 value or null], …].';
COMMENT ON COLUMN audit.journal.subject IS 'Stream of a canonical event; null for a dead letter.';
COMMENT ON COLUMN audit.journal.sequence IS 'Stream sequence of a canonical event; null for a dead letter.';
COMMENT ON COLUMN audit.journal.hash IS 'Hash (hex SHA-256) of a canonical event; null for a dead letter.';
COMMENT ON COLUMN audit.journal.committed_at IS 'When the gateway wrote the record to the journal.';
CREATE INDEX journal_topic_partition ON audit.journal (topic, partition, position);

CREATE TABLE audit.journal_topics (
    topic text PRIMARY KEY,
    partitions integer NOT NULL CHECK (partitions > 0)
);
COMMENT ON TABLE audit.journal_topics IS 'Partition count of each topic the journal records: the embedded broker is seeded with these counts, so every record goes back to its partition.';

ALTER TABLE projection.consumer_offsets ADD COLUMN last_position bigint;
COMMENT ON COLUMN projection.consumer_offsets.last_position IS 'Journal position (Kafka header chancery-position) of the last record consumed from this partition; after the embedded broker is re-seeded, next_offset is recomputed from it.';
