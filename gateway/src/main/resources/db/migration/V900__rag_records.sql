-- Private retrieval (package rag, docs/rag.md): collections, document metadata, chunks (text and embedding) and
-- per-document pseudonym maps, each a barrier ciphertext whose associated data is its path. Paths hold only
-- collection names, document ids (random) and chunk numbers; `folder` is the path up to its last '/', so a folder's
-- records are found by an index lookup on both engines (no collation-dependent range scan). This is the seam until
-- the barrier's own storage API (barrier_records) is on main: the same paths move there unchanged.
CREATE TABLE rag_records (
    path       TEXT NOT NULL PRIMARY KEY,
    folder     TEXT NOT NULL,
    value      ${bytes} NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX rag_records_folder ON rag_records (folder);
