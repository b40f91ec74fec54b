package dev.bastion.attest;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Clock;

/** Verifies one backend's evidence document against its settings, with the nonce and TLS key it must be bound to. */
final class EvidenceVerifier {
    private final AttestationSettings settings;
    private final SevSnpVerifier snp;
    private final TdxVerifier tdx;
    private final NvidiaGpuVerifier gpu;
    private final VerifierTokenVerifier tokens;

    /** @param tokens the token verifier for type {@code token}, else null */
    EvidenceVerifier(AttestationSettings settings, Clock clock, VerifierTokenVerifier tokens) {
        this.settings = settings;
        this.snp = settings.type().equals("sev-snp") ? settings.snpVerifier(clock) : null;
        this.tdx = settings.type().equals("tdx") ? settings.tdxVerifier(clock) : null;
        this.gpu = settings.type().equals("nvidia-cc") ? settings.gpuVerifier(clock) : null;
        this.tokens = tokens;
    }

    Verdict verify(byte[] document, byte[] nonce, byte[] spkiSha256) {
        try {
            EvidenceDocument doc = EvidenceDocument.parse(document);
            if (!doc.type().equals(settings.type())) {
                throw new EvidenceException(Refusal.UNSUPPORTED, "evidence of type " + doc.type() + ", expected "
                        + settings.type());
            }
            byte[] bound = TlsKeyBinding.reportData(nonce, spkiSha256);
            JsonNode b = doc.body();
            return switch (settings.type()) {
                case "sev-snp" -> snp.verify(new SevSnpEvidence(doc.base64("report"),
                        required(b, "vcek"), EvidenceDocument.pemOrBase64(b, "chain")),
                        settings.snp(), bound);
                case "tdx" -> tdx.verify(doc.base64("quote"), collateral(b.path("collateral")),
                        settings.tdx(), bound);
                case "nvidia-cc" -> gpu.verify(new NvidiaGpuEvidence(doc.base64("report"),
                        required(b, "cert_chain")), settings.gpu(),
                        TlsKeyBinding.gpuNonce(nonce, spkiSha256));
                case "token" -> tokens.verify(doc.text("token"), bound);
                default -> throw new EvidenceException(Refusal.UNSUPPORTED, "attestation type " + settings.type());
            };
        } catch (EvidenceException e) {
            return e.verdict();
        }
    }

    private static TdxCollateral collateral(JsonNode c) throws EvidenceException {
        if (!c.isObject()) throw new EvidenceException(Refusal.MALFORMED, "TDX evidence lacks its collateral");
        return new TdxCollateral(EvidenceDocument.base64(c, "tcb_info"), required(c, "tcb_info_issuer_chain"),
                EvidenceDocument.base64(c, "qe_identity"), required(c, "qe_identity_issuer_chain"),
                EvidenceDocument.base64(c, "pck_crl"), EvidenceDocument.base64(c, "root_crl"));
    }

    private static byte[] required(JsonNode n, String field) throws EvidenceException {
        byte[] v = EvidenceDocument.pemOrBase64(n, field);
        if (v == null) throw new EvidenceException(Refusal.MALFORMED, "evidence lacks " + field);
        return v;
    }
}
