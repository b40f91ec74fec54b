package dev.bastion.attest;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Intel's TCB level matching for TDX (TCB Info v3): the first level whose SGX components and PCESVN the PCK
 * certificate reaches and whose TDX components the TD's TEE_TCB_SVN reaches gives the platform's status; when the
 * TDX module reports a major version (TEE_TCB_SVN[1] > 0), its own identity's levels give the module's status.
 */
final class TdxTcbLevels {
    private TdxTcbLevels() {}

    /** The status of the first matching platform level. */
    static String platformStatus(JsonNode tcbInfo, PckExtensions pck, byte[] teeTcbSvn) throws EvidenceException {
        JsonNode levels = tcbInfo.path("tcbLevels");
        int start = (teeTcbSvn[1] & 0xff) > 0 ? 2 : 0;
        for (JsonNode level : levels) {
            JsonNode tcb = level.path("tcb");
            if (reaches(pck.sgxTcbSvns(), tcb.path("sgxtcbcomponents"), 0)
                    && pck.pceSvn() >= tcb.path("pcesvn").asInt(Integer.MAX_VALUE)
                    && reaches(unsigned(teeTcbSvn), tcb.path("tdxtcbcomponents"), start)) {
                return SignedJson.text(level, "tcbStatus", "TCB level");
            }
        }
        throw new EvidenceException(Refusal.TCB_NOT_ACCEPTED, "no TCB level of the TCB Info matches the platform");
    }

    /**
     * Checks the TDX module's signer and attributes against TCB Info and returns the module's own status, or null
     * when the module reports no major version (then only the platform level applies).
     */
    static String moduleStatus(JsonNode tcbInfo, TdxQuote.TdReport td) throws EvidenceException {
        int major = td.teeTcbSvn()[1] & 0xff;
        JsonNode identity = tcbInfo.path("tdxModule");
        JsonNode match = null;
        if (major > 0 && tcbInfo.has("tdxModuleIdentities")) {
            String id = "TDX_%02X".formatted(major);
            for (JsonNode m : tcbInfo.path("tdxModuleIdentities")) {
                if (m.path("id").asText().equalsIgnoreCase(id)) match = m;
            }
            if (match == null) {
                throw new EvidenceException(Refusal.TCB_NOT_ACCEPTED, "TCB Info has no identity for TDX module " + id);
            }
            identity = match;
        }
        if (identity.isMissingNode()) throw new EvidenceException(Refusal.MALFORMED, "TCB Info lacks tdxModule");
        byte[] signer = SignedJson.hex(identity, "mrsigner", "TDX module identity");
        byte[] attributes = SignedJson.hex(identity, "attributes", "TDX module identity");
        byte[] mask = SignedJson.hex(identity, "attributesMask", "TDX module identity");
        if (!java.util.Arrays.equals(signer, td.mrSignerSeam())
                || !maskedEquals(td.seamAttributes(), mask, attributes)) {
            throw new EvidenceException(Refusal.TCB_NOT_ACCEPTED, "TDX module is not the one TCB Info describes");
        }
        if (match == null) return null;
        int isvsvn = td.teeTcbSvn()[0] & 0xff;
        for (JsonNode level : match.path("tcbLevels")) {
            if (isvsvn >= level.path("tcb").path("isvsvn").asInt(Integer.MAX_VALUE)) {
                return SignedJson.text(level, "tcbStatus", "TDX module TCB level");
            }
        }
        throw new EvidenceException(Refusal.TCB_NOT_ACCEPTED, "no TCB level matches TDX module SVN " + isvsvn);
    }

    /** QE identity levels: the first whose isvsvn the quoting enclave reaches. */
    static String qeStatus(JsonNode identity, int isvsvn) throws EvidenceException {
        for (JsonNode level : identity.path("tcbLevels")) {
            if (isvsvn >= level.path("tcb").path("isvsvn").asInt(Integer.MAX_VALUE)) {
                return SignedJson.text(level, "tcbStatus", "QE TCB level");
            }
        }
        throw new EvidenceException(Refusal.TCB_NOT_ACCEPTED, "no QE identity level matches ISVSVN " + isvsvn);
    }

    static boolean maskedEquals(byte[] value, byte[] mask, byte[] expected) {
        if (value.length != mask.length || mask.length != expected.length) return false;
        for (int i = 0; i < value.length; i++) if ((value[i] & mask[i]) != expected[i]) return false;
        return true;
    }

    private static boolean reaches(int[] have, JsonNode components, int from) {
        if (components.size() != have.length) return false;
        for (int i = from; i < have.length; i++) {
            if (have[i] < components.get(i).path("svn").asInt(Integer.MAX_VALUE)) return false;
        }
        return true;
    }

    private static int[] unsigned(byte[] b) {
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) out[i] = b[i] & 0xff;
        return out;
    }
}
