-- The model registry (governance). Every routable model is an entry: a local artifact pinned by its SHA-256, or a
-- remote model (backend + upstream name + the identity the operator expects). Only entries in state approved or
-- deployed route. The registry succeeds the V500 `models` table (the local-import record): its rows become draft
-- local entries below and the table is dropped, so there is one source of truth. Times are epoch millis.
CREATE TABLE registry_entries (
    id                TEXT PRIMARY KEY,
    kind              TEXT NOT NULL,
    source            TEXT NOT NULL,
    name              TEXT NOT NULL,
    state             TEXT NOT NULL,
    sha256            TEXT,
    size_bytes        BIGINT,
    format            TEXT,
    path              TEXT,
    architecture      TEXT,
    quantization      TEXT,
    context_length    BIGINT,
    chat_template     TEXT,
    tokenizer         TEXT,
    licence           TEXT,
    source_url        TEXT,
    backend           TEXT,
    upstream_model    TEXT,
    expected_identity TEXT,
    base_id           TEXT,
    dataset_id        TEXT,
    signature         TEXT,
    submitted_by      TEXT NOT NULL,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    row_version       BIGINT NOT NULL
);

CREATE UNIQUE INDEX registry_entries_name ON registry_entries (name);
CREATE INDEX registry_entries_sha256 ON registry_entries (sha256);
CREATE INDEX registry_entries_remote ON registry_entries (backend, upstream_model);

INSERT INTO registry_entries (id, kind, source, name, state, sha256, size_bytes, format, path, architecture,
                              quantization, context_length, chat_template, tokenizer, submitted_by, created_at,
                              updated_at, row_version)
SELECT 'm-import-' || name, 'model', 'local', name, 'draft', sha256, size_bytes, 'gguf', path, architecture,
       quantization, context_length, chat_template, tokenizer, COALESCE(imported_by, 'import'), imported_at,
       imported_at, 1
FROM models;

DROP TABLE models;

-- Lifecycle history, one row per step (the audit log holds the same steps, signed).
CREATE TABLE registry_transitions (
    entry_id   TEXT NOT NULL,
    seq        BIGINT NOT NULL,
    action     TEXT NOT NULL,
    from_state TEXT,
    to_state   TEXT,
    actor      TEXT NOT NULL,
    at         BIGINT NOT NULL,
    reason     TEXT,
    evidence   TEXT NOT NULL,
    PRIMARY KEY (entry_id, seq)
);

-- Model cards, versioned: every edit and every finished evaluation makes a new version; the digest is over the
-- canonical JSON document, and approvals bind it.
CREATE TABLE model_cards (
    entry_id   TEXT NOT NULL,
    version    BIGINT NOT NULL,
    document   TEXT NOT NULL,
    digest     TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (entry_id, version)
);

-- Approvals: who approved which artifact digest under which card digest, on what evidence, and the override reason
-- when a failed evaluation gate was overridden. High-risk entries need two distinct approvers on the same card.
CREATE TABLE model_approvals (
    entry_id        TEXT NOT NULL,
    approver        TEXT NOT NULL,
    card_digest     TEXT NOT NULL,
    artifact_digest TEXT,
    evidence        TEXT NOT NULL,
    override_reason TEXT,
    at              BIGINT NOT NULL,
    PRIMARY KEY (entry_id, approver, card_digest)
);

-- Evaluation runs and their items. A suite is stored without its prompt texts (their SHA-256 only): what scoring
-- needs (expected answers, match kinds, groups, canaries) and the counts of personal data found in each prompt.
CREATE TABLE evaluation_runs (
    id             TEXT PRIMARY KEY,
    entry_id       TEXT NOT NULL,
    suite_name     TEXT NOT NULL,
    suite_kind     TEXT NOT NULL,
    suite_digest   TEXT NOT NULL,
    suite          TEXT NOT NULL,
    item_count     BIGINT NOT NULL,
    started_by     TEXT NOT NULL,
    started_at     BIGINT NOT NULL,
    finished_at    BIGINT,
    status         TEXT NOT NULL,
    summary        TEXT,
    summary_digest TEXT
);

CREATE INDEX evaluation_runs_entry ON evaluation_runs (entry_id);

CREATE TABLE evaluation_items (
    run_id       TEXT NOT NULL,
    item_index   BIGINT NOT NULL,
    status       TEXT NOT NULL,
    result       TEXT NOT NULL,
    completed_at BIGINT NOT NULL,
    PRIMARY KEY (run_id, item_index)
);

-- Fine-tuning datasets: digest, where they came from, the legal basis for using them, and a PII scan report
-- (counts by type from Bastion's own detectors, never values).
CREATE TABLE datasets (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    size_bytes    BIGINT NOT NULL,
    path          TEXT NOT NULL,
    source        TEXT NOT NULL,
    consent_basis TEXT NOT NULL,
    records       BIGINT NOT NULL,
    pii_report    TEXT NOT NULL,
    registered_by TEXT NOT NULL,
    registered_at BIGINT NOT NULL
);

CREATE UNIQUE INDEX datasets_name ON datasets (name);
