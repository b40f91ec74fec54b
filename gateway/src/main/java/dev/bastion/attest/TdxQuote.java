package dev.bastion.attest;

/**
 * An Intel TDX DCAP quote, version 4 or 5 (Intel "TDX DCAP Quote Generation Library and Quote Verification Library"
 * specification): header, TD report body, and the ECDSA-256 signature data with the quoting enclave's report and
 * the PCK certificate chain. Only the parts verification needs are kept.
 *
 * @param signedLength how many leading bytes the attestation key signed (header and body)
 */
record TdxQuote(int version, byte[] qeVendorId, TdReport body, int signedLength, byte[] signature,
                byte[] attestationKey, byte[] qeReport, byte[] qeReportSignature, byte[] qeAuthData,
                byte[] pckChainPem) {
    static final int HEADER = 48;
    static final int ATT_KEY_ECDSA_P256 = 2;
    static final long TEE_TDX = 0x81;
    static final int CERT_PCK_CHAIN = 5;
    static final int CERT_QE_REPORT = 6;
    static final int QE_REPORT_SIZE = 384;

    /**
     * The TD's measured state.
     *
     * @param teeTcbSvn     16 bytes: TDX module SVNs, compared with TCB Info's tdxtcbcomponents
     * @param rtmrs         four 48-byte runtime measurement registers
     * @param mrServiceTd   TD report 1.5 (quote v5 body type 3) only, else null
     */
    record TdReport(byte[] teeTcbSvn, byte[] mrSeam, byte[] mrSignerSeam, byte[] seamAttributes, byte[] tdAttributes,
                    byte[] xfam, byte[] mrTd, byte[] mrConfigId, byte[] mrOwner, byte[] mrOwnerConfig,
                    byte[][] rtmrs, byte[] reportData, byte[] mrServiceTd) {
        static final int SIZE_10 = 584;
        static final int SIZE_15 = 648;

        /** TDATTRIBUTES bit 0 (TUD.DEBUG): the TD runs in debug mode and its state is visible to the host. */
        boolean debug() { return (tdAttributes[0] & 0x01) != 0; }

        static TdReport read(LeReader r, boolean v15) throws EvidenceException {
            byte[] tcb = r.bytes(16, "tee_tcb_svn");
            byte[] mrSeam = r.bytes(48, "mrseam");
            byte[] mrSignerSeam = r.bytes(48, "mrsignerseam");
            byte[] seamAttr = r.bytes(8, "seam_attributes");
            byte[] tdAttr = r.bytes(8, "td_attributes");
            byte[] xfam = r.bytes(8, "xfam");
            byte[] mrTd = r.bytes(48, "mrtd");
            byte[] mrConfigId = r.bytes(48, "mrconfigid");
            byte[] mrOwner = r.bytes(48, "mrowner");
            byte[] mrOwnerConfig = r.bytes(48, "mrownerconfig");
            byte[][] rtmrs = new byte[4][];
            for (int i = 0; i < 4; i++) rtmrs[i] = r.bytes(48, "rtmr" + i);
            byte[] reportData = r.bytes(64, "report_data");
            byte[] mrServiceTd = null;
            if (v15) {
                r.skip(16, "tee_tcb_svn2");
                mrServiceTd = r.bytes(48, "mrservicetd");
            }
            return new TdReport(tcb, mrSeam, mrSignerSeam, seamAttr, tdAttr, xfam, mrTd, mrConfigId, mrOwner,
                    mrOwnerConfig, rtmrs, reportData, mrServiceTd);
        }
    }

    static TdxQuote parse(byte[] q) throws EvidenceException {
        LeReader r = new LeReader(q);
        int version = r.u16("version");
        int keyType = r.u16("attestation key type");
        long teeType = r.u32("tee type");
        if (version != 4 && version != 5) throw new EvidenceException(Refusal.UNSUPPORTED, "quote version " + version);
        if (teeType != TEE_TDX) {
            throw new EvidenceException(Refusal.UNSUPPORTED, "TEE type 0x" + Long.toHexString(teeType) + " is not TDX");
        }
        if (keyType != ATT_KEY_ECDSA_P256) {
            throw new EvidenceException(Refusal.UNSUPPORTED, "attestation key type " + keyType);
        }
        r.skip(4, "reserved");
        byte[] vendor = r.bytes(16, "qe_vendor_id");
        r.skip(20, "user_data");
        boolean v15 = false;
        if (version == 5) {
            int bodyType = r.u16("body type");
            long bodySize = r.u32("body size");
            switch (bodyType) {
                case 2 -> { if (bodySize != TdReport.SIZE_10) throw bodySize(bodySize); }
                case 3 -> {
                    if (bodySize != TdReport.SIZE_15) throw bodySize(bodySize);
                    v15 = true;
                }
                default -> throw new EvidenceException(Refusal.UNSUPPORTED, "quote body type " + bodyType);
            }
        }
        TdReport body = TdReport.read(r, v15);
        int signed = r.position();
        int sigLen = r.length32("signature data");
        LeReader s = new LeReader(q, r.position(), r.position() + sigLen);
        byte[] signature = s.bytes(64, "quote signature");
        byte[] attKey = s.bytes(64, "attestation key");
        int certType = s.u16("certification data type");
        int certLen = s.length32("certification data");
        if (certType != CERT_QE_REPORT) {
            throw new EvidenceException(Refusal.UNSUPPORTED, "certification data type " + certType);
        }
        LeReader c = new LeReader(q, s.position(), s.position() + certLen);
        byte[] qeReport = c.bytes(QE_REPORT_SIZE, "QE report");
        byte[] qeSig = c.bytes(64, "QE report signature");
        byte[] qeAuth = c.bytes(c.u16("QE auth data size"), "QE auth data");
        int innerType = c.u16("PCK certification data type");
        int innerLen = c.length32("PCK certification data");
        if (innerType != CERT_PCK_CHAIN) {
            throw new EvidenceException(Refusal.UNSUPPORTED, "PCK certification data type " + innerType);
        }
        byte[] chain = c.bytes(innerLen, "PCK certificate chain");
        return new TdxQuote(version, vendor, body, signed, signature, attKey, qeReport, qeSig, qeAuth, chain);
    }

    private static EvidenceException bodySize(long n) {
        return new EvidenceException(Refusal.MALFORMED, "quote body size " + n);
    }
}
