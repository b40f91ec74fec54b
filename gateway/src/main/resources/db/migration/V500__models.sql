-- Imported model artifacts: what the GGUF file said about itself and its SHA-256 at import time. The engine worker
-- is always started with the recorded digest and refuses a file that no longer matches it. Times are epoch millis.
CREATE TABLE models (
    name           TEXT PRIMARY KEY,
    sha256         TEXT NOT NULL,
    size_bytes     BIGINT NOT NULL,
    path           TEXT NOT NULL,
    architecture   TEXT NOT NULL,
    quantization   TEXT NOT NULL,
    context_length BIGINT,
    chat_template  TEXT,
    tokenizer      TEXT,
    imported_at    BIGINT NOT NULL,
    imported_by    TEXT
);

CREATE INDEX models_sha256 ON models (sha256);
