package dev.bastion.audit.tlog;

import dev.bastion.testing.Mutations;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz target: the tlog formats — signed notes, checkpoints, entry bundles (tiles) and Merkle proofs. Any input is
 * parsed or refused with a {@link TlogException}; nothing but the signer's own note verifies, no forged proof passes.
 */
class TlogFuzzTest {
    static final NoteSigner SIGNER = NoteSigner.fromSeed("example.com/log", new byte[32]);
    static final byte[] NOTE = SIGNER.sign(new Checkpoint("example.com/log", 5, new byte[32], List.of()).text());
    static final Hashes HASHES = new Hashes();

    @Property
    void anyNoteOrCheckpointIsParsedOrRefusedAndOnlyTheRealOneVerifies(@ForAll("notes") byte[] note) {
        try {
            Note.parse(note);
        } catch (TlogException expected) {
            // typed refusal
        }
        try {
            String text = NoteVerifier.open(note, List.of(SIGNER.verifier()));
            assertThat(note).as("only the signed bytes verify").isEqualTo(NOTE);
            Checkpoint.parse(text);
        } catch (TlogException expected) {
            // not signed by the key, or not a note
        }
        try {
            Checkpoint.parse(new String(note, StandardCharsets.UTF_8));
        } catch (TlogException expected) {
            // not a checkpoint
        }
    }

    @Property
    void anyEntryBundleDecodesOrIsRefused(@ForAll("bundles") byte[] bundle) {
        try {
            for (byte[] e : EntryBundle.decode(bundle)) assertThat(e.length).isLessThanOrEqualTo(EntryBundle.MAX_ENTRY);
        } catch (TlogException expected) {
            // typed refusal
        }
    }

    @Property
    void noForgedProofVerifies(@ForAll("proofs") List<byte[]> proof, @ForAll long index, @ForAll long size,
                               @ForAll long size2) {
        byte[] leaf = HASHES.leaf("entry".getBytes(StandardCharsets.UTF_8));
        byte[] root = HASHES.leaf("root".getBytes(StandardCharsets.UTF_8));
        try {
            Proofs.verifyInclusion(Math.floorMod(index, 1 << 20), Math.floorMod(size, 1 << 20) + 1, leaf, proof, root);
            throw new AssertionError("a random proof verified");
        } catch (TlogException | IllegalArgumentException expected) {
            // refused
        }
        try {
            Proofs.verifyConsistency(Math.floorMod(size, 1 << 20) + 1, Math.floorMod(size2, 1 << 20) + 2, proof, root, leaf);
            throw new AssertionError("a random consistency proof verified");
        } catch (TlogException | IllegalArgumentException expected) {
            // refused
        }
    }

    @Provide
    Arbitrary<byte[]> notes() {
        return Mutations.of(300, List.of(NOTE, ("example.com/log\n7\n" + "A".repeat(43) + "=\n\n\u2014 example.com/log AAAA\n")
                .getBytes(StandardCharsets.UTF_8)));
    }

    @Provide
    Arbitrary<byte[]> bundles() {
        List<byte[]> entries = new ArrayList<>();
        for (int i = 0; i < 5; i++) entries.add(("{\"i\":" + i + "}").getBytes(StandardCharsets.UTF_8));
        return Mutations.of(300, List.of(EntryBundle.encode(entries), EntryBundle.encode(List.of(new byte[0]))));
    }

    @Provide
    Arbitrary<List<byte[]>> proofs() {
        return Arbitraries.bytes().array(byte[].class).ofSize(32).list().ofMaxSize(70);
    }
}
