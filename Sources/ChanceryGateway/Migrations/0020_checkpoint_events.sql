-- Checkpoints published as events (README, "The verifiable log"): each signed checkpoint is also appended to the log as a
-- CheckpointSigned event (gov.supervision.checkpoint.signed) by the checkpoint service; this column says which are.
ALTER TABLE audit.checkpoints ADD COLUMN published boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN audit.checkpoints.published IS 'Whether the checkpoint service has appended it to the log as a CheckpointSigned event (id checkpoint/<origin>/<tree size>); false until then, and for checkpoints signed before migration 0020 until the next start publishes them.';
