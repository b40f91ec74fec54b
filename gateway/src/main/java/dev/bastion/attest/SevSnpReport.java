package dev.bastion.attest;

/**
 * The fields of an SEV-SNP ATTESTATION_REPORT (AMD SEV-SNP ABI specification, versions 2 to 5; 1184 bytes) that
 * verification uses. The signature covers bytes {@code [0, 0x2A0)}.
 */
record SevSnpReport(int version, long guestSvn, long policy, int vmpl, int signatureAlgorithm, long currentTcb,
                    int keyInfo, byte[] reportData, byte[] measurement, byte[] hostData, long reportedTcb,
                    int cpuidFamily, int cpuidModel, byte[] chipId, byte[] signatureR, byte[] signatureS) {
    static final int SIZE = 0x4A0;
    static final int SIGNED_LENGTH = 0x2A0;

    // POLICY bits (SEV-SNP ABI, "Guest Policy")
    static final long POLICY_SMT = 1L << 16;
    static final long POLICY_RESERVED_ONE = 1L << 17;
    static final long POLICY_MIGRATE_MA = 1L << 18;
    static final long POLICY_DEBUG = 1L << 19;

    /** Which key signed: 0 VCEK, 1 VLEK, 7 none. */
    int signingKey() { return (keyInfo >>> 2) & 0x7; }

    boolean chipIdMasked() { return (keyInfo & 0x2) != 0; }

    static SevSnpReport parse(byte[] b) throws EvidenceException {
        if (b.length != SIZE) {
            throw new EvidenceException(Refusal.MALFORMED, "SEV-SNP report is " + b.length + " bytes, expected " + SIZE);
        }
        LeReader r = new LeReader(b);
        int version = (int) r.u32("version");
        if (version < 2 || version > 5) {
            throw new EvidenceException(Refusal.UNSUPPORTED, "SEV-SNP report version " + version);
        }
        long guestSvn = r.u32("guest_svn");
        long policy = r.u64("policy");
        r.skip(32, "family_id/image_id");
        int vmpl = (int) r.u32("vmpl");
        int sigAlgo = (int) r.u32("signature_algo");
        long currentTcb = r.u64("current_tcb");
        r.skip(8, "platform_info");
        int keyInfo = (int) r.u32("key_info");
        r.skip(4, "reserved");
        byte[] reportData = r.bytes(64, "report_data");
        byte[] measurement = r.bytes(48, "measurement");
        byte[] hostData = r.bytes(32, "host_data");
        r.skip(48 + 48 + 32 + 32, "id_key_digest..report_id_ma");
        long reportedTcb = r.u64("reported_tcb");
        int family = r.u8("cpuid_fam_id");
        int model = r.u8("cpuid_mod_id");
        r.skip(0x1A0 - 0x18A, "reserved");
        byte[] chipId = r.bytes(64, "chip_id");
        r.skip(SIGNED_LENGTH - 0x1E0, "committed_tcb..reserved");
        byte[] sigR = r.bytes(72, "signature r");
        byte[] sigS = r.bytes(72, "signature s");
        if (vmpl > 3) throw new EvidenceException(Refusal.MALFORMED, "VMPL " + vmpl);
        return new SevSnpReport(version, guestSvn, policy, vmpl, sigAlgo, currentTcb, keyInfo, reportData,
                measurement, hostData, reportedTcb, version >= 3 ? family : 0, version >= 3 ? model : 0, chipId,
                sigR, sigS);
    }
}
