-- Console sessions moved to the barrier's record store (barrier_records, path console/sessions/<hash>), where every
-- persisted secret lives. Open sessions end: their holders sign in again.
DROP TABLE console_sessions;
