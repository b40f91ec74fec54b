-- The investigator's index beside the audit log (package dev.bastion.investigate): one row per entry with the
-- fields search filters on, filled by a follower of the log. The index only points at leaf indexes; results are
-- read back from audit_entries and carry inclusion proofs, so a wrong index row is caught, never believed.
CREATE TABLE audit_search (
    idx            BIGINT PRIMARY KEY,
    time_ms        BIGINT NOT NULL,
    kind           TEXT NOT NULL,
    principal      TEXT,
    action         TEXT,
    model          TEXT,
    decision       TEXT,
    purpose        TEXT,
    classification TEXT
);
CREATE INDEX audit_search_time ON audit_search (time_ms, idx);
CREATE INDEX audit_search_principal ON audit_search (principal, idx);
CREATE INDEX audit_search_action ON audit_search (action, idx);
CREATE INDEX audit_search_model ON audit_search (model, idx);
CREATE INDEX audit_search_decision ON audit_search (decision, idx);

CREATE TABLE audit_search_subjects (
    subject TEXT NOT NULL,
    idx     BIGINT NOT NULL,
    PRIMARY KEY (subject, idx)
);

CREATE TABLE audit_search_findings (
    finding TEXT NOT NULL,
    idx     BIGINT NOT NULL,
    PRIMARY KEY (finding, idx)
);

-- Followers of the log (the search indexer, each SIEM sink): the next leaf index to deliver, and a lease so that
-- one replica at a time follows each of them.
CREATE TABLE audit_followers (
    name        TEXT PRIMARY KEY,
    next_index  BIGINT NOT NULL,
    owner       TEXT,
    lease_until BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
