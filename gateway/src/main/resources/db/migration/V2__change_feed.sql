-- Cluster-wide change propagation (store.ChangeFeed). Each topic (policy, models, consent, …) has a version that a
-- writer bumps in the same transaction as its change; every replica re-reads the versions when woken (PostgreSQL
-- NOTIFY, or polling on SQLite), reloads what changed and acknowledges, so a writer can wait until every live
-- replica has applied its change. Times are epoch milliseconds from the database's own clock.
CREATE TABLE change_versions (
    topic   TEXT PRIMARY KEY,
    version BIGINT NOT NULL
);

CREATE TABLE change_replicas (
    replica_id TEXT PRIMARY KEY,
    started_at BIGINT NOT NULL,
    seen_at    BIGINT NOT NULL
);

CREATE TABLE change_acks (
    replica_id TEXT NOT NULL,
    topic      TEXT NOT NULL,
    version    BIGINT NOT NULL,
    PRIMARY KEY (replica_id, topic)
);
