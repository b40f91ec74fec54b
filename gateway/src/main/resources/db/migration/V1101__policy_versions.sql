-- The policy's history: every version that ran, the highest one runs on every replica. The text is the policy YAML
-- as written (diffable); digest is Policy.digest of it. Rows are only ever added. created_at: epoch milliseconds.
-- source says how a version came: seed (the file or the built-in default at the first start), reload (the file read
-- again), edit (text sent over the API), rollback (an earlier version made current again).
CREATE TABLE policy_versions (
    version     BIGINT PRIMARY KEY,
    digest      VARCHAR(128) NOT NULL,
    body        TEXT NOT NULL,
    rules       INTEGER NOT NULL,
    author      VARCHAR(512) NOT NULL,
    created_at  BIGINT NOT NULL,
    source      VARCHAR(64) NOT NULL,
    comment     VARCHAR(1000)
);
