package dev.bastion.attest;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An SPDM 1.1 GET_MEASUREMENTS exchange as NVIDIA Hopper GPUs report it (DMTF DSP0274): the requester's message
 * (carrying the verifier's nonce) followed by the responder's signed MEASUREMENTS message with its opaque data.
 * The signature covers both messages up to the signature itself.
 *
 * @param blocks  measurement index → value (DMTF measurement value bytes)
 * @param opaque  NVIDIA opaque-data fields: type → value (e.g. 3 driver version, 6 VBIOS version)
 */
record SpdmMeasurements(int version, byte[] requestNonce, Map<Integer, byte[]> blocks, byte[] measurementRecord,
                        Map<Integer, byte[]> opaque, int signedLength, byte[] signature) {
    static final int REQUEST_LENGTH = 37;
    static final int SIGNATURE_P384 = 96;
    static final int OPAQUE_DRIVER_VERSION = 3;
    static final int OPAQUE_VBIOS_VERSION = 6;

    static SpdmMeasurements parse(byte[] b) throws EvidenceException {
        LeReader r = new LeReader(b);
        int version = r.u8("request version");
        if (version != 0x11) throw new EvidenceException(Refusal.UNSUPPORTED, "SPDM version 0x" + Integer.toHexString(version));
        if (r.u8("request code") != 0xE0) throw new EvidenceException(Refusal.MALFORMED, "not a GET_MEASUREMENTS request");
        int attributes = r.u8("request attributes");
        if ((attributes & 0x01) == 0) throw new EvidenceException(Refusal.MALFORMED, "request did not ask for a signature");
        r.skip(1, "request operation");
        byte[] nonce = r.bytes(32, "request nonce");
        r.skip(1, "slot id");
        if (r.u8("response version") != version) throw new EvidenceException(Refusal.MALFORMED, "SPDM version changed");
        if (r.u8("response code") != 0x60) throw new EvidenceException(Refusal.MALFORMED, "not a MEASUREMENTS response");
        r.skip(2, "response params");
        int count = r.u8("number of blocks");
        int recordLength = r.u24("measurement record length");
        int recordStart = r.position();
        LeReader rec = new LeReader(b, recordStart, recordStart + recordLength);
        r.skip(recordLength, "measurement record");
        byte[] record = java.util.Arrays.copyOfRange(b, recordStart, recordStart + recordLength);
        Map<Integer, byte[]> blocks = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            int index = rec.u8("block index");
            if (rec.u8("measurement specification") != 0x01) {
                throw new EvidenceException(Refusal.UNSUPPORTED, "measurement block " + index + " is not DMTF");
            }
            int size = rec.u16("measurement size");
            LeReader m = new LeReader(b, rec.position(), rec.position() + size);
            rec.skip(size, "measurement");
            m.skip(1, "value type");
            byte[] value = m.bytes(m.u16("value size"), "measurement value");
            if (blocks.put(index, value) != null) {
                throw new EvidenceException(Refusal.MALFORMED, "measurement index " + index + " repeats");
            }
        }
        if (rec.remaining() != 0) throw new EvidenceException(Refusal.MALFORMED, "measurement record has trailing bytes");
        r.skip(32, "response nonce");
        int opaqueLength = r.u16("opaque length");
        Map<Integer, byte[]> opaque = new LinkedHashMap<>();
        LeReader o = new LeReader(b, r.position(), r.position() + opaqueLength);
        r.skip(opaqueLength, "opaque data");
        while (o.remaining() > 0) {
            int type = o.u16("opaque field type");
            opaque.put(type, o.bytes(o.u16("opaque field size"), "opaque field"));
        }
        int signed = r.position();
        byte[] signature = r.bytes(SIGNATURE_P384, "signature");
        if (r.remaining() != 0) throw new EvidenceException(Refusal.MALFORMED, "bytes after the signature");
        return new SpdmMeasurements(version, nonce, Collections.unmodifiableMap(blocks), record,
                Collections.unmodifiableMap(opaque), signed, signature);
    }
}
