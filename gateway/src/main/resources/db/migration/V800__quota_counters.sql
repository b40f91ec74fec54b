-- Quotas and budgets shared by every replica. One row per counter and window: the limit it enforces, how much of it
-- replicas have taken as leases (reserved or used; the database grants a lease only while allocated + lease <= limit,
-- which is what keeps replicas from overspending together), and the usage settled so far. counter_key is
-- rule:metric:<keyed hash of the scope value> — no key ids, principals, teams or purposes in clear.
CREATE TABLE quota_counters (
    counter_key  TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    limit_value  BIGINT NOT NULL,
    allocated    BIGINT NOT NULL,
    used         BIGINT NOT NULL,
    rule         TEXT NOT NULL,
    metric       TEXT NOT NULL,
    PRIMARY KEY (counter_key, window_start)
);

-- Threshold crossings already recorded in the audit log (80 and 100 per cent), so each is recorded once across
-- replicas: whoever inserts the row writes the audit entry.
CREATE TABLE quota_alerts (
    counter_key  TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    threshold    INTEGER NOT NULL,
    PRIMARY KEY (counter_key, window_start, threshold)
);
