-- Bearer tokens for the HTTP and Kafka doors.
CREATE SCHEMA IF NOT EXISTS auth;
COMMENT ON SCHEMA auth IS 'Access control: bearer tokens with a role and, for integrators, granted sources and regions.';
CREATE TABLE auth.tokens (
    id text PRIMARY KEY,
    secret_sha256 text NOT NULL,
    role text NOT NULL CHECK (role IN ('integrator', 'analyst', 'auditor', 'admin')),
    sources text[] NOT NULL DEFAULT '{}',
    regions text[] NOT NULL DEFAULT '{}',
    description text,
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz
);
COMMENT ON TABLE auth.tokens IS 'Bearer tokens (chancery_<id>.<secret>); only the SHA-256 of the secret is stored.';
COMMENT ON COLUMN auth.tokens.sources IS 'Source prefixes an integrator may publish for, e.g. /430424/departments/planning.';
COMMENT ON COLUMN auth.tokens.regions IS 'Region codes an integrator may publish for; * for all.';
COMMENT ON COLUMN auth.tokens.revoked_at IS 'When revoked; a revoked token authenticates nobody.';
