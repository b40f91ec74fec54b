package dev.bastion.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.audit.CanonicalJson;
import dev.bastion.audit.tlog.Checkpoint;
import dev.bastion.audit.tlog.TlogException;
import dev.bastion.investigate.ProofCheck;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Checks an access-request export offline with the audit log's verifier key: the manifest's signature, that it
 * covers exactly this bundle (RFC 8785 digest) and this subject, the checkpoint's signature, and for every audit
 * entry that it names the subject's token and is included in the checkpoint's tree.
 */
public final class ExportVerifier {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private ExportVerifier() {}

    public record Result(int entriesProven, int entriesPending, List<String> failures) {
        public boolean ok() { return failures.isEmpty(); }
    }

    public static Result verify(JsonNode document, String verifierKey) {
        List<String> failures = new ArrayList<>();
        JsonNode bundle = document.path("bundle");
        String token = bundle.path("subject").path("token").asText("");
        String[] manifest;
        try {
            manifest = ProofCheck.statement(document.path("manifest").asText(), verifierKey).split("\n");
        } catch (TlogException e) {
            return new Result(0, 0, List.of("manifest: " + e.getMessage()));
        }
        if (manifest.length < 4 || !AccessExport.FORMAT.equals(manifest[0])) {
            return new Result(0, 0, List.of("manifest: not a " + AccessExport.FORMAT + " manifest"));
        }
        if (!manifest[1].equals("sha256:" + AccessExport.sha256(CanonicalJson.encode(bundle)))) {
            failures.add("manifest: the bundle does not match its digest (changed after signing)");
        }
        if (!manifest[2].equals("subject " + token)) failures.add("manifest: names another subject");
        int proven = 0;
        int pending = 0;
        Checkpoint cp = null;
        JsonNode audit = bundle.path("audit");
        if (audit.path("checkpoint").isTextual()) {
            try {
                cp = ProofCheck.checkpoint(audit.path("checkpoint").asText(), verifierKey);
                if (!manifest[3].equals("checkpoint " + cp.size())) failures.add("manifest: names another checkpoint");
            } catch (TlogException e) {
                failures.add("checkpoint: " + e.getMessage());
            }
        }
        for (JsonNode e : audit.path("entries")) {
            long index = e.path("index").asLong(-1);
            byte[] entry = Base64.getDecoder().decode(e.path("entry_base64").asText(""));
            if (!names(entry, token)) failures.add("entry " + index + ": does not name the subject's token");
            if (e.path("pending").asBoolean(false)) {
                pending++;
                continue;
            }
            List<String> proof = new ArrayList<>();
            e.path("proof").forEach(p -> proof.add(p.asText()));
            try {
                if (cp == null) throw new TlogException(TlogException.Reason.INVALID_PROOF, "no verified checkpoint");
                ProofCheck.included(index, entry, proof, cp);
                proven++;
            } catch (TlogException ex) {
                failures.add("entry " + index + ": " + ex.getMessage());
            }
        }
        return new Result(proven, pending, failures);
    }

    private static boolean names(byte[] entry, String token) {
        try {
            for (JsonNode s : JSON.readTree(entry).path("subjects")) {
                if (s.asText().equals(token)) return true;
            }
            return false;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
