-- Pseudonym vault: which token stands for which original within one conversation. The original is only stored
-- encrypted (RecordCipher, associated data = logical path); conversation ids and values are only stored as keyed
-- blind indexes (hex). Rows expire: lookups ignore expired rows and purge deletes them. Times are epoch millis.
CREATE TABLE inspect_pseudonyms (
    conversation TEXT NOT NULL,
    token        TEXT NOT NULL,
    entity_type  TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    value_index  TEXT NOT NULL,
    ciphertext   ${bytes} NOT NULL,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    PRIMARY KEY (conversation, token),
    UNIQUE (conversation, value_index)
);

CREATE INDEX inspect_pseudonyms_expiry ON inspect_pseudonyms (expires_at);
