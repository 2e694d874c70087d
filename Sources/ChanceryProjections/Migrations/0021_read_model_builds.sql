-- Read models built from the log of record beside the live ones (issue 11): point-in-time replays
-- (`chancery replay --as-of … --into NAME`), the shadow copies of `chancery verify --read-models` and the rebuilds of
-- `chancery rebuild`. A build named NAME lives in its own schemas NAME__approval, NAME__audit, … (one per schema of the
-- live layout, README "Auditors"); this table says which builds exist, so the read API's `replay` parameter and the
-- CLI's `--schema` accept only finished builds.
CREATE TABLE projection.read_model_builds (
    name text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_]{0,29}$' AND position('__' IN name) = 0),
    purpose text NOT NULL CHECK (purpose IN ('replay', 'shadow', 'rebuild')),
    cutoff timestamptz,
    cutoff_by text CHECK (cutoff_by IN ('business', 'recorded')),
    last_position bigint NOT NULL DEFAULT 0,
    events bigint NOT NULL DEFAULT 0,
    projection_version integer NOT NULL,
    started_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz
);
COMMENT ON TABLE projection.read_model_builds IS 'Read models rebuilt from the journal into their own schemas (NAME__approval, NAME__audit, …): replays as of a time, shadow copies for verify --read-models, rebuilds waiting to be swapped in.';
COMMENT ON COLUMN projection.read_model_builds.name IS 'The build''s name: lower-case letters, digits and single underscores, at most 30 characters; its schemas are NAME__<live schema>.';
COMMENT ON COLUMN projection.read_model_builds.purpose IS 'replay (chancery replay: kept until dropped) | shadow (verify --read-models: dropped after the comparison) | rebuild (chancery rebuild: swapped in once caught up).';
COMMENT ON COLUMN projection.read_model_builds.cutoff IS 'The replay''s --as-of instant; null when the build covers the whole log.';
COMMENT ON COLUMN projection.read_model_builds.cutoff_by IS 'business (the events'' own time) | recorded (when the gateway recorded them); null without a cutoff.';
COMMENT ON COLUMN projection.read_model_builds.last_position IS 'Journal position up to which the log was read (inclusive).';
COMMENT ON COLUMN projection.read_model_builds.events IS 'Canonical events applied (those after the cutoff are not).';
COMMENT ON COLUMN projection.read_model_builds.projection_version IS 'ReadModelVersion.current of the code that built it.';
COMMENT ON COLUMN projection.read_model_builds.started_at IS 'Database time when the build started.';
COMMENT ON COLUMN projection.read_model_builds.finished_at IS 'Database time when the build finished; null while it runs (or after it failed).';

-- The version of the live read models (one row): a server whose code carries a newer ReadModelVersion.current rebuilds
-- them beside the live ones and swaps them in.
CREATE TABLE projection.read_model_version (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    version integer NOT NULL,
    swapped_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE projection.read_model_version IS 'One row: the projection version of the live read models (ReadModelVersion.current of the code that built them) and when they were last swapped in.';
COMMENT ON COLUMN projection.read_model_version.version IS 'Projection version of the live read models.';
COMMENT ON COLUMN projection.read_model_version.swapped_at IS 'Database time of the last swap (or of this migration).';
INSERT INTO projection.read_model_version (version) VALUES (1);
