package dev.bastion.attest;

/** The trusted execution environments Bastion verifies evidence from; {@link #id()} is what config and policy use. */
public enum Tee {
    SEV_SNP("sev-snp"),
    TDX("tdx"),
    NVIDIA_CC("nvidia-cc");

    private final String id;

    Tee(String id) { this.id = id; }

    public String id() { return id; }

    public static Tee fromId(String id) {
        for (Tee t : values()) if (t.id.equals(id)) return t;
        throw new IllegalArgumentException("unknown attestation type '" + id + "' (sev-snp, tdx, nvidia-cc)");
    }
}
