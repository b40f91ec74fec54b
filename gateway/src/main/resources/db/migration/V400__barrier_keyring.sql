-- The storage barrier's key hierarchy (see docs/barrier.md). Nothing here is usable without the key provider:
-- the root key is wrapped by the provider's key, data keys by the root key, subject keys by a data key.

-- One row: which provider protects the root key, its public parameters (JSON: salt, KDF cost, HSM key label)
-- and the wrapped root key.
CREATE TABLE barrier_root (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    provider     TEXT NOT NULL,
    params       TEXT NOT NULL,
    wrapped_root ${bytes} NOT NULL,
    created_at   BIGINT NOT NULL
);

-- The keyring: AES-256 data keys wrapped by the root key. The newest id encrypts; older ids still decrypt.
CREATE TABLE barrier_keys (
    key_id     INTEGER PRIMARY KEY,
    wrapped    ${bytes} NOT NULL,
    created_at BIGINT NOT NULL
);

-- Per-data-subject keys for crypto-shredding. subject_ref = HMAC(root-derived key, subject id), so the table does
-- not even hold the pseudonymous subject id. Shredding sets wrapped to NULL and keeps the tombstone so readers can
-- tell "shredded" from "unknown".
CREATE TABLE barrier_subject_keys (
    key_id      BIGINT PRIMARY KEY,
    subject_ref ${bytes} NOT NULL,
    wrapped     ${bytes},
    created_at  BIGINT NOT NULL,
    shredded_at BIGINT
);
CREATE UNIQUE INDEX barrier_subject_keys_live ON barrier_subject_keys (subject_ref) WHERE shredded_at IS NULL;

-- Server-held secrets (API-key HMAC key, audit signing key, ...) as barrier ciphertexts under their own path.
CREATE TABLE barrier_secrets (
    path       TEXT PRIMARY KEY,
    value      ${bytes} NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Where each re-wrap job stopped, so a restarted job resumes instead of rescanning.
CREATE TABLE barrier_rewrap_progress (
    job        TEXT PRIMARY KEY,
    last_id    TEXT,
    rewrapped  BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
