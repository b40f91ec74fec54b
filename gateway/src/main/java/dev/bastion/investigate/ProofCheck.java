package dev.bastion.investigate;

import dev.bastion.audit.tlog.Checkpoint;
import dev.bastion.audit.tlog.Hashes;
import dev.bastion.audit.tlog.NoteVerifier;
import dev.bastion.audit.tlog.Proofs;
import dev.bastion.audit.tlog.TlogException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Offline checks of what Bastion hands out beside its log — search results, access-request exports: a checkpoint
 * signed by the log's key, and entries included in it. Needs only the verifier key, no Bastion server or store.
 */
public final class ProofCheck {
    private ProofCheck() {}

    /** The checkpoint in a signed note, if the log's key signed it. */
    public static Checkpoint checkpoint(String note, String verifierKey) throws TlogException {
        NoteVerifier key = NoteVerifier.parse(verifierKey);
        return Checkpoint.parse(NoteVerifier.open(note.getBytes(StandardCharsets.UTF_8), List.of(key)));
    }

    /** The text of a signed statement (an export manifest), if the log's key signed it. */
    public static String statement(String note, String verifierKey) throws TlogException {
        return NoteVerifier.open(note.getBytes(StandardCharsets.UTF_8), List.of(NoteVerifier.parse(verifierKey)));
    }

    /** Throws unless {@code entry} is leaf {@code index} of the tree {@code checkpoint} commits to. */
    public static void included(long index, byte[] entry, List<String> proofBase64, Checkpoint checkpoint)
            throws TlogException {
        List<byte[]> proof = proofBase64.stream().map(s -> Base64.getDecoder().decode(s)).toList();
        Proofs.verifyInclusion(index, checkpoint.size(), Hashes.leafHash(entry), proof, checkpoint.root());
    }

    public static List<String> encode(List<byte[]> hashes) {
        return hashes.stream().map(h -> Base64.getEncoder().encodeToString(h)).toList();
    }
}
