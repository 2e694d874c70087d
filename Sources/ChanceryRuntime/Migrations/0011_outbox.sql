-- The consumers' transactional outbox: events a consumer derives (the supervisor's alerts) are stored with the
-- batch that derived them and published through the gateway after it committed.
CREATE TABLE projection.outbox (
    id bigserial PRIMARY KEY,
    consumer_group text NOT NULL,
    event jsonb NOT NULL,
    enqueued_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE projection.outbox IS 'Events a consumer derived (the supervisor''s alerts), written in the same transaction as the batch that derived them and deleted once the gateway has appended them; what is here after a crash is published at the next start.';
COMMENT ON COLUMN projection.outbox.consumer_group IS 'The consumer group that derived the event, e.g. chancery-supervisor.';
COMMENT ON COLUMN projection.outbox.event IS 'The CloudEvent to append, as submitted to the gateway.';
CREATE INDEX outbox_group ON projection.outbox (consumer_group, id);
