-- Web console sessions (console.SessionStore). The row key is SHA-256 of the random cookie value, so the table alone
-- opens no session; the payload (the credential the person signed in with and the session's CSRF token) is sealed by
-- the barrier with the row's path as associated data. Times are epoch milliseconds.
CREATE TABLE console_sessions (
    id_hash    TEXT PRIMARY KEY,
    payload    ${bytes} NOT NULL,
    created_at BIGINT NOT NULL,
    used_at    BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE INDEX console_sessions_expiry ON console_sessions (expires_at);
