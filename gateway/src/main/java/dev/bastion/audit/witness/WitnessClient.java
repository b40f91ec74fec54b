package dev.bastion.audit.witness;

import dev.bastion.audit.tlog.Checkpoint;
import dev.bastion.audit.tlog.Note;
import dev.bastion.audit.tlog.TlogException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.OptionalLong;

/**
 * The client side of C2SP tlog-witness {@code add-checkpoint}: sends a log-signed checkpoint with the consistency
 * proof from the size the witness last cosigned, learns that size from a 409 when it guessed wrong (once), and
 * accepts only a cosignature that verifies against the witness's configured key.
 */
public final class WitnessClient {
    static final String SIZE_TYPE = "text/x.tlog.size";
    private static final int MAX_PROOF_LINES = 63;

    /** Consistency proofs of the log being witnessed (RFC 6962, hashes bottom up). */
    public interface ProofSource {
        List<byte[]> consistency(long oldSize, long newSize) throws IOException;
    }

    public sealed interface Outcome {
        /** The witness cosigned; {@code line} is its signature line, {@code time} the POSIX time it signed at. */
        record Cosigned(String line, long time) implements Outcome {}

        /** No cosignature: the witness's HTTP status (0: not reached) and why, never the checkpoint's content. */
        record Refused(int status, String reason) implements Outcome {}
    }

    private final WitnessTransport transport;
    private final Duration timeout;

    public WitnessClient(WitnessTransport transport, Duration timeout) {
        this.transport = transport;
        this.timeout = timeout;
    }

    /** @param oldSize the size the witness is believed to have cosigned last (0 when unknown) */
    public Outcome addCheckpoint(Witness w, byte[] signedNote, Checkpoint cp, long oldSize, ProofSource proofs)
            throws InterruptedException {
        try {
            WitnessTransport.Reply r = post(w, signedNote, cp, oldSize, proofs);
            if (r.status() == 409 && r.contentType().startsWith(SIZE_TYPE)) {
                long theirs = parseSize(r.body());
                if (theirs > cp.size()) {
                    return new Outcome.Refused(409, "the witness has cosigned a larger tree (" + theirs + ")");
                }
                if (theirs == oldSize) return new Outcome.Refused(409, "the witness holds a different tree head");
                r = post(w, signedNote, cp, theirs, proofs);
            }
            if (r.status() != 200) return new Outcome.Refused(r.status(), reason(r));
            return cosignature(w, cp, r.body());
        } catch (IOException | IllegalArgumentException e) {
            return new Outcome.Refused(0, "witness not reached: " + e.getClass().getSimpleName());
        }
    }

    private WitnessTransport.Reply post(Witness w, byte[] signedNote, Checkpoint cp, long oldSize, ProofSource proofs)
            throws IOException, InterruptedException {
        List<byte[]> proof = oldSize == 0 || oldSize == cp.size() ? List.of() : proofs.consistency(oldSize, cp.size());
        if (proof.size() > MAX_PROOF_LINES) throw new IOException("consistency proof too long");
        StringBuilder head = new StringBuilder("old ").append(oldSize).append('\n');
        for (byte[] h : proof) head.append(Base64.getEncoder().encodeToString(h)).append('\n');
        head.append('\n');
        byte[] h = head.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] body = ByteBuffer.allocate(h.length + signedNote.length).put(h).put(signedNote).array();
        return transport.post(w.addCheckpoint(), "text/plain; charset=utf-8", body, timeout);
    }

    private static Outcome cosignature(Witness w, Checkpoint cp, byte[] reply) {
        String lines = new String(reply, StandardCharsets.UTF_8);
        try {
            Note n = Note.parse((cp.text() + "\n" + lines).getBytes(StandardCharsets.UTF_8));
            for (Note.Signature sig : n.signatures()) {
                OptionalLong time = w.key().verify(cp.text(), sig);
                if (time.isPresent()) return new Outcome.Cosigned(line(sig), time.getAsLong());
            }
        } catch (TlogException e) {
            return new Outcome.Refused(200, "malformed cosignature reply");
        }
        return new Outcome.Refused(200, "no cosignature by the witness's key in the reply");
    }

    static String line(Note.Signature sig) {
        byte[] raw = ByteBuffer.allocate(4 + sig.signature().length).putInt(sig.keyId()).put(sig.signature()).array();
        return "\u2014 " + sig.name() + " " + Base64.getEncoder().encodeToString(raw);
    }

    private static long parseSize(byte[] body) throws IOException {
        String s = new String(body, StandardCharsets.US_ASCII);
        if (!s.matches("(0|[1-9][0-9]{0,18})\n")) throw new IOException("malformed size in a 409 reply");
        return Long.parseLong(s.strip());
    }

    private static String reason(WitnessTransport.Reply r) {
        return switch (r.status()) {
            case 403 -> "the witness does not trust the log's key";
            case 404 -> "the witness does not know the log's origin";
            case 409 -> "conflict with the witness's recorded tree head";
            case 422 -> "the witness refused the consistency proof (the log is not an extension of what it saw)";
            case 400 -> "the witness refused the request as malformed";
            default -> "witness answered " + r.status();
        };
    }
}
