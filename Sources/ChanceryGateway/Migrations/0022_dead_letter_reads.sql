-- Dead letters through the read API (GET /v1/dead-letters, README "The Kafka door and dead letters"): the journal holds
-- every dead letter (rows without subject); these read their reason headers safely, find them fast, and tie each retry
-- to the dead letter's journal position, which unlike its Kafka offset does not change when the embedded broker is
-- seeded again.

CREATE FUNCTION audit.utf8_or_null(bytes bytea) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
    RETURN convert_from(bytes, 'UTF8');
EXCEPTION WHEN others THEN
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION audit.utf8_or_null(bytea) IS 'The bytes as text when they are valid UTF-8 without NUL, else null (never an error: a dead letter may hold any bytes).';

CREATE FUNCTION audit.journal_header(headers jsonb, header_name text) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    encoded text;
BEGIN
    IF jsonb_typeof(headers) IS DISTINCT FROM 'array' THEN
        RETURN NULL;
    END IF;
    SELECT h ->> 1 INTO encoded
    FROM jsonb_array_elements(headers) WITH ORDINALITY AS e(h, n)
    WHERE jsonb_typeof(h) = 'array' AND h ->> 0 = header_name
    ORDER BY n DESC LIMIT 1;
    IF encoded IS NULL THEN
        RETURN NULL;
    END IF;
    RETURN audit.utf8_or_null(decode(encoded, 'base64'));
EXCEPTION WHEN others THEN
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION audit.journal_header(jsonb, text) IS 'The value of the last header named header_name in a journal row''s headers ([[name, base64 value or null], …]) as UTF-8 text; null when absent, null-valued, not base64 or not UTF-8.';

CREATE INDEX journal_dead_letters ON audit.journal (position) WHERE subject IS NULL;

ALTER TABLE audit.deadletter_retries ADD COLUMN deadletter_position bigint;
COMMENT ON COLUMN audit.deadletter_retries.deadletter_position IS 'Journal position of the retried dead letter (its chancery-position header; the id of GET /v1/dead-letters/{id}); null for retries recorded before migration 0022 or of a dead letter without the header.';
CREATE INDEX deadletter_retries_position ON audit.deadletter_retries (deadletter_position) WHERE deadletter_position IS NOT NULL;
