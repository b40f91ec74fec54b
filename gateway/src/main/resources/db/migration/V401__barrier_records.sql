-- The barrier's storage API (docs/barrier.md "Storage API"): every persisted secret or personal value is a barrier
-- ciphertext stored under its path, and the path is the ciphertext's associated data. Paths sort byte by byte on
-- both engines (PostgreSQL: collation "C"), so listing by prefix is an index range scan. A value may expire (epoch millis).
CREATE TABLE barrier_records (
    path       ${path_text} PRIMARY KEY,
    value      ${bytes} NOT NULL,
    updated_at BIGINT NOT NULL,
    expires_at BIGINT
);
CREATE INDEX barrier_records_expiry ON barrier_records (expires_at) WHERE expires_at IS NOT NULL;

-- Server secrets move over unchanged: same paths, so their ciphertexts still decrypt.
INSERT INTO barrier_records (path, value, updated_at) SELECT path, value, updated_at FROM barrier_secrets;
DROP TABLE barrier_secrets;
DELETE FROM barrier_rewrap_progress WHERE job = 'barrier_secrets';

-- The pseudonym vault now keeps its pairs as barrier records (inspect/pseudonyms/…). Live pseudonyms expire within
-- a day anyway; a conversation running across the upgrade gets fresh tokens.
DROP TABLE inspect_pseudonyms;
