-- API keys: the secret is never stored, only HMAC-SHA-256(server key, secret); lookups go by the key id that is
-- embedded in the key string. Times are epoch milliseconds.
CREATE TABLE api_keys (
    key_id      TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    secret_hash ${bytes} NOT NULL,
    roles       TEXT NOT NULL,
    attributes  TEXT NOT NULL,
    models      TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT,
    revoked_at  BIGINT,
    created_by  TEXT
);

-- Small named values the server keeps for itself (bootstrap markers, server-held secrets until the barrier
-- encrypts them).
CREATE TABLE server_state (
    name  TEXT PRIMARY KEY,
    value ${bytes} NOT NULL
);
