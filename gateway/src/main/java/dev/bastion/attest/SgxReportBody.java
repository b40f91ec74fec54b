package dev.bastion.attest;

/** The fields of an SGX enclave report (here: the TDX quoting enclave's) that QE identity checks compare. */
record SgxReportBody(byte[] cpuSvn, long miscSelect, byte[] attributes, byte[] mrEnclave, byte[] mrSigner,
                     int isvProdId, int isvSvn, byte[] reportData) {

    static SgxReportBody parse(byte[] b) throws EvidenceException {
        LeReader r = new LeReader(b);
        byte[] cpuSvn = r.bytes(16, "cpusvn");
        long misc = r.u32("miscselect");
        r.skip(28, "reserved");
        byte[] attributes = r.bytes(16, "attributes");
        byte[] mrEnclave = r.bytes(32, "mrenclave");
        r.skip(32, "reserved");
        byte[] mrSigner = r.bytes(32, "mrsigner");
        r.skip(96, "reserved");
        int prodId = r.u16("isvprodid");
        int svn = r.u16("isvsvn");
        r.skip(60, "reserved");
        byte[] reportData = r.bytes(64, "reportdata");
        return new SgxReportBody(cpuSvn, misc, attributes, mrEnclave, mrSigner, prodId, svn, reportData);
    }
}
