-- Tamper-evident audit ledger (package dev.bastion.audit). Entries are canonical JSON, addressed by their leaf
-- index in the RFC 6962 tree; indexes are handed out by the single audit_sequence row, whose row lock orders
-- concurrent appenders (also across processes) so that committed indexes are always contiguous.
CREATE TABLE audit_entries (
    idx  BIGINT PRIMARY KEY,
    data ${bytes} NOT NULL
);

CREATE TABLE audit_sequence (
    id         INTEGER PRIMARY KEY,
    next_index BIGINT NOT NULL
);
INSERT INTO audit_sequence (id, next_index) VALUES (1, 0);

-- How many entries the tree (tiles + latest checkpoint) covers; updated by the integrator only.
CREATE TABLE audit_tree (
    id   INTEGER PRIMARY KEY,
    size BIGINT NOT NULL
);
INSERT INTO audit_tree (id, size) VALUES (1, 0);

-- C2SP tlog-tiles hash tiles, height 8: the concatenated hashes of tile <idx> at <level>. A partial tile is
-- rewritten as it grows (its prefix never changes) until it holds 256 hashes.
CREATE TABLE audit_tiles (
    level  INTEGER NOT NULL,
    idx    BIGINT NOT NULL,
    hashes ${bytes} NOT NULL,
    PRIMARY KEY (level, idx)
);

-- Every signed checkpoint (C2SP signed note), by tree size.
CREATE TABLE audit_checkpoints (
    size       BIGINT PRIMARY KEY,
    root       ${bytes} NOT NULL,
    note       ${bytes} NOT NULL,
    created_at BIGINT NOT NULL
);
