-- Privacy operations (package dev.bastion.privacy). A data subject appears only as a keyed token: HMAC of the
-- subject id under a key derived from that subject's own barrier key (Barrier.subjectToken). Destroying the key
-- (erasure) leaves nobody able to compute the token from the id again, so every row here and every audit entry
-- that carries it stops linking to the person. Raw subject ids are never stored. Times are epoch milliseconds.

-- Subjects Bastion has seen: the barrier key their token is computed under, when they were first and last named,
-- and the CCPA opt-out of sale/sharing (1 = opted out).
CREATE TABLE privacy_subjects (
    subject      TEXT PRIMARY KEY,
    key_id       BIGINT NOT NULL,
    first_seen   BIGINT NOT NULL,
    last_seen    BIGINT NOT NULL,
    sale_opt_out INTEGER NOT NULL DEFAULT 0,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX privacy_subjects_last_seen ON privacy_subjects (last_seen);

-- Consent and purpose registry: the lawful basis for processing one subject's data for one purpose. The evidence
-- reference is kept in the barrier's record store under the subject's key (privacy/consents/<token>/<purpose>); the
-- evidence column is no longer written.
CREATE TABLE privacy_consents (
    subject    TEXT NOT NULL,
    purpose    TEXT NOT NULL,
    state      TEXT NOT NULL,
    basis      TEXT NOT NULL,
    evidence   ${bytes},
    expires_at BIGINT,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (subject, purpose)
);
CREATE INDEX privacy_consents_updated ON privacy_consents (updated_at);

-- Data-subject requests (access exports, erasures): who asked, when, how it ended and the audit entry that proves
-- it. The subject token is cleared when the subject is erased.
CREATE TABLE privacy_requests (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    subject      TEXT,
    requested_at BIGINT NOT NULL,
    requested_by TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    audit_index  BIGINT
);
CREATE INDEX privacy_requests_time ON privacy_requests (requested_at);

-- Retention runs: one row per rule per run, with what was removed (the audit entry holds the proof).
CREATE TABLE privacy_retention_runs (
    run_at      BIGINT NOT NULL,
    rule        TEXT NOT NULL,
    removed     BIGINT NOT NULL,
    digest      TEXT NOT NULL,
    audit_index BIGINT,
    PRIMARY KEY (run_at, rule)
);

-- Pseudonym vault entries remember whose data they hold, for which purpose and classification, in index records of
-- the barrier's record store (inspect/pseudonym-labels/, -created/, -subjects/; see BarrierPseudonymVault): no table.
