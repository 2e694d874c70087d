-- The public portal's receipt codes (查询码, issue 13): a requester or letter writer follows their own request or letter with
-- the code shown after submitting. Owned and written by the portal (Sources/ChanceryPortal), not by a projector: the
-- table is not rebuilt from the log and a replay leaves it alone.
CREATE SCHEMA IF NOT EXISTS portal;
COMMENT ON SCHEMA portal IS 'The public portal''s own state: receipt codes of requests and letters submitted through its forms.';

CREATE TABLE portal.receipts (
    code_sha256 text PRIMARY KEY,
    subject text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('request', 'letter')),
    region text NOT NULL,
    submitted_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE portal.receipts IS 'One row per receipt code handed out by the portal; only the SHA-256 of the code is stored (a code is 80 random bits, so it cannot be guessed or recovered from this table).';
COMMENT ON COLUMN portal.receipts.code_sha256 IS 'Hex SHA-256 of the normalised code (16 characters of Crockford base32, upper case, without separators).';
COMMENT ON COLUMN portal.receipts.subject IS 'The stream the code follows: request/<region>/<number> or letter/<region>/<number>.';
COMMENT ON COLUMN portal.receipts.kind IS 'request (依申请公开申请) | letter (信箱来信).';
COMMENT ON COLUMN portal.receipts.region IS 'Region of the stream (行政区划代码).';
COMMENT ON COLUMN portal.receipts.submitted_at IS 'Database time when the portal handed out the code (the submission time is the event''s own time).';
CREATE INDEX receipts_subject ON portal.receipts (subject);
