package dev.bastion.audit.tlog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.testing.TestFiles;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** C2SP signed notes and checkpoints against the published vectors (C2SP, Go sumdb, Tessera). */
class SignedNoteTest {
    private static final Path TLOG = TestFiles.testdata().resolve("tlog");
    private static final String TESSERA_VKEY =
            "example.com/log/testdata+33d7b496+AeHTu4Q3hEIMHNqc6fASMsq3rKNx280NI+oO5xCFkkSx";

    private static JsonNode vector(String id) throws Exception {
        JsonNode all = new ObjectMapper().readTree(TLOG.resolve("signed_note_vectors.json").toFile());
        for (JsonNode v : all.get("vectors")) if (v.get("id").asText().equals(id)) return v;
        throw new AssertionError("no vector " + id);
    }

    private static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    @Test
    void c2spExampleNoteVerifiesWithItsKey() throws Exception {
        JsonNode v = vector("c2sp-signed-note-example");
        NoteVerifier key = NoteVerifier.parse(v.get("vkey").asText());
        assertThat(NoteVerifier.open(utf8(v.get("note").asText()), List.of(key)))
                .isEqualTo("This is an example message.\n");
        assertThat(key.encoded()).isEqualTo(v.get("vkey").asText());
    }

    @Test
    void signatureFromAnUnknownKeyIsIgnored() throws Exception {
        JsonNode v = vector("go-sumdb-note-doc");
        String note = v.get("note").asText();
        NoteVerifier peter = NoteVerifier.parse(v.get("vkey").asText());
        assertThat(NoteVerifier.open(utf8(note), List.of(peter))).startsWith("If you think cryptography");
        assertThat(Note.parse(utf8(note)).signatures()).extracting(Note.Signature::name)
                .containsExactly("PeterNeumann", "EnochRoot");
    }

    @Test
    void signerReproducesThePublishedSignaturesByteForByte() throws Exception {
        JsonNode v = vector("go-sumdb-note-doc");
        NoteSigner signer = NoteSigner.parse(v.get("skey").asText());
        assertThat(signer.verifierKey()).isEqualTo(v.get("vkey").asText());
        String published = v.get("note").asText();
        String text = Note.parse(utf8(published)).text();
        String firstSignatureLine = published.substring(text.length() + 1).lines().findFirst().orElseThrow();
        assertThat(new String(signer.sign(text), StandardCharsets.UTF_8))
                .isEqualTo(text + "\n" + firstSignatureLine + "\n");

        NoteSigner tessera = NoteSigner.parse(vector("tessera-testdata-log-key").get("skey").asText());
        assertThat(tessera.verifierKey()).isEqualTo(TESSERA_VKEY);
        for (int size = 0; size <= 15; size++) {
            byte[] cp = Files.readAllBytes(TLOG.resolve("tessera-testdata-log/checkpoint." + size));
            assertThat(tessera.sign(Note.parse(cp).text())).isEqualTo(cp);
        }
    }

    @Test
    void everyTesseraCheckpointVerifiesAndParses() throws Exception {
        NoteVerifier key = NoteVerifier.parse(TESSERA_VKEY);
        for (int size = 0; size <= 15; size++) {
            byte[] note = Files.readAllBytes(TLOG.resolve("tessera-testdata-log/checkpoint." + size));
            Checkpoint cp = Checkpoint.parse(NoteVerifier.open(note, List.of(key)));
            assertThat(cp.origin()).isEqualTo("example.com/log/testdata");
            assertThat(cp.size()).isEqualTo(size);
            assertThat(cp.text()).isEqualTo(Note.parse(note).text());
        }
    }

    @Test
    void aFlippedByteInTheTextFailsTheKnownKeysSignature() throws Exception {
        byte[] note = Files.readAllBytes(TLOG.resolve("tessera-testdata-log/checkpoint"));
        note[note.length / 4] ^= 1; // inside the root line
        assertThatThrownBy(() -> NoteVerifier.open(note, List.of(NoteVerifier.parse(TESSERA_VKEY))))
                .isInstanceOfSatisfying(TlogException.class,
                        e -> assertThat(e.reason()).isIn(TlogException.Reason.INVALID_SIGNATURE,
                                TlogException.Reason.MALFORMED));
    }

    @Test
    void aNoteSignedOnlyByAnotherKeyIsRejected() throws Exception {
        byte[] note = Files.readAllBytes(TLOG.resolve("tessera-testdata-log/checkpoint"));
        NoteVerifier other = NoteSigner.fromSeed("example.com/log/testdata", NoteSigner.newSeed()).verifier();
        assertThatThrownBy(() -> NoteVerifier.open(note, List.of(other)))
                .isInstanceOfSatisfying(TlogException.class,
                        e -> assertThat(e.reason()).isEqualTo(TlogException.Reason.UNTRUSTED));
    }

    @Test
    void parseOnlyVectorsParse() throws Exception {
        JsonNode v = vector("c2sp-checkpoint-with-cosignature");
        Note note = Note.parse(utf8(v.get("note").asText()));
        Checkpoint cp = Checkpoint.parse(note.text());
        assertThat(cp.origin()).isEqualTo(v.get("expect_parse").get("origin").asText());
        assertThat(cp.size()).isEqualTo(v.get("expect_parse").get("size").asLong());
        assertThat(note.signatures()).hasSize(2);
        assertThat(note.signatures().get(1).signature()).hasSize(8 + 64); // timestamp ‖ Ed25519 signature

        Note witness = Note.parse(utf8(vector("c2sp-witness-add-checkpoint-body").get("body").asText()));
        assertThat(Checkpoint.parse(witness.text().substring(witness.text().indexOf("\n\n") + 2)).size())
                .isEqualTo(20852163);
    }

    @Test
    void verifierKeysWithAWrongHashOrAlgorithmAreRefused() {
        assertThatThrownBy(() -> NoteVerifier.parse(TESSERA_VKEY.replace("33d7b496", "33d7b497")))
                .isInstanceOf(TlogException.class);
        assertThatThrownBy(() -> NoteVerifier.parse("name+33d7b496+AuHTu4Q3hEIMHNqc6fASMsq3rKNx280NI+oO5xCFkkSx"))
                .isInstanceOf(TlogException.class);
        assertThatThrownBy(() -> NoteVerifier.parse("no-plus-signs")).isInstanceOf(TlogException.class);
    }

    @Test
    void signerToStringShowsOnlyThePublicKey() {
        NoteSigner s = NoteSigner.fromSeed("bastion.test/audit", NoteSigner.newSeed());
        assertThat(s.toString()).contains(s.verifierKey()).doesNotContain("PRIVATE");
    }

    @net.jqwik.api.Property(tries = 1000)
    void arbitraryBytesParseOrFailTyped(@net.jqwik.api.ForAll byte[] bytes) {
        try {
            Note n = Note.parse(bytes);
            assertThat(Note.parse(n.toBytes()).toBytes()).isEqualTo(n.toBytes());
        } catch (TlogException e) {
            assertThat(e.reason()).isEqualTo(TlogException.Reason.MALFORMED);
        }
        try {
            Checkpoint.parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (TlogException e) {
            assertThat(e.reason()).isEqualTo(TlogException.Reason.MALFORMED);
        }
    }

    @net.jqwik.api.Property(tries = 1000)
    void mutatedCheckpointsNeverVerifyAndNeverCrash(@net.jqwik.api.ForAll @net.jqwik.api.constraints.IntRange(max = 200) int at,
                                                   @net.jqwik.api.ForAll byte value) throws Exception {
        byte[] original = Files.readAllBytes(TLOG.resolve("tessera-testdata-log/checkpoint"));
        if (at >= original.length || original[at] == value) return;
        byte[] note = original.clone();
        note[at] = value;
        try {
            NoteVerifier.open(note, List.of(NoteVerifier.parse(TESSERA_VKEY)));
            // still verifying is only acceptable for a different spelling of the same signed bytes (base64 pad bits)
            Note a = Note.parse(original);
            Note b = Note.parse(note);
            assertThat(b.text()).isEqualTo(a.text());
            assertThat(b.signatures().getFirst().signature()).isEqualTo(a.signatures().getFirst().signature());
        } catch (TlogException expected) {
            assertThat(expected.reason()).isNotNull();
        }
    }

    @net.jqwik.api.Property(tries = 500)
    void arbitraryKeyStringsParseOrFailTyped(@net.jqwik.api.ForAll String key) {
        try {
            NoteVerifier.parse(key);
        } catch (TlogException e) {
            assertThat(e.reason()).isEqualTo(TlogException.Reason.MALFORMED);
        }
        try {
            NoteSigner.parse(key);
        } catch (TlogException e) {
            assertThat(e.reason()).isEqualTo(TlogException.Reason.MALFORMED);
        }
    }

    @Test
    void malformedNotesAreTypedErrors() {
        for (String bad : List.of("", "text\n", "text\n\n", "text\n\n— name\n", "text\n\n— na me AAAAAAA=\n",
                "text\n\n- name AAAAAAAA\n", "te\u0001xt\n\n— name AAAAAAAA\n", "text\n\n— name !!!!\n")) {
            assertThatThrownBy(() -> Note.parse(utf8(bad))).isInstanceOf(TlogException.class);
        }
        assertThatThrownBy(() -> Note.parse(new byte[] {(byte) 0xC3, 0x28, '\n', '\n'}))
                .isInstanceOf(TlogException.class);
    }

    @Test
    void malformedCheckpointsAreTypedErrors() {
        String root = "rKbDipCvhuX1GZ7g5BBe8sA6BbJ7ja/1nk427v383cs=";
        for (String bad : List.of("o\n15\n" + root, "o\n015\n" + root + "\n", "o\n-1\n" + root + "\n",
                "o\n15\nAAAA\n", "\n15\n" + root + "\n", "o\n15\n" + root + "\n\n",
                "o\n99999999999999999999\n" + root + "\n")) {
            assertThatThrownBy(() -> Checkpoint.parse(bad)).isInstanceOf(TlogException.class);
        }
    }
}
