-- Witness cosignatures (C2SP tlog-witness / tlog-cosignature v1) of the audit log's checkpoints: one signature line
-- per witness and checkpoint size, stored only after it verified against the witness's configured key.
CREATE TABLE audit_cosignatures (
    size        BIGINT NOT NULL,
    witness     VARCHAR(512) NOT NULL,
    line        ${bytes} NOT NULL,
    cosigned_at BIGINT NOT NULL,
    PRIMARY KEY (size, witness)
);
