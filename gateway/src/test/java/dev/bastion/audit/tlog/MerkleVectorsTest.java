package dev.bastion.audit.tlog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.testing.TestFiles;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The transparency-dev/merkle vectors: every proof verifies or fails exactly as the vector says. */
class MerkleVectorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path VECTORS = TestFiles.testdata().resolve("tlog/transparency-dev-merkle/testdata");

    @TestFactory
    Stream<DynamicTest> everyInclusionVectorVerifiesExactlyAsExpected() throws IOException {
        return vectors("inclusion").map(v -> DynamicTest.dynamicTest(name(v), () -> {
            JsonNode j = v.json();
            boolean failed = fails(() -> Proofs.verifyInclusion(num(j, "leafIdx"), num(j, "treeSize"),
                    b64(j, "leafHash"), proof(j), b64(j, "root")));
            assertThat(failed).as(v.path().toString()).isEqualTo(j.get("wantErr").asBoolean());
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyConsistencyVectorVerifiesExactlyAsExpected() throws IOException {
        return vectors("consistency").map(v -> DynamicTest.dynamicTest(name(v), () -> {
            JsonNode j = v.json();
            boolean failed = fails(() -> Proofs.verifyConsistency(num(j, "size1"), num(j, "size2"), proof(j),
                    b64(j, "root1"), b64(j, "root2")));
            assertThat(failed).as(v.path().toString()).isEqualTo(j.get("wantErr").asBoolean());
        }));
    }

    @TestFactory
    Stream<DynamicTest> everySubtreeInclusionVectorVerifiesExactlyAsExpected() throws IOException {
        return vectors("subtreeinclusion").map(v -> DynamicTest.dynamicTest(name(v), () -> {
            JsonNode j = v.json();
            boolean failed = fails(() -> Proofs.verifySubtreeInclusion(num(j, "leafIdx"), num(j, "start"),
                    num(j, "end"), b64(j, "leafHash"), proof(j), b64(j, "root")));
            assertThat(failed).as(v.path().toString()).isEqualTo(j.get("wantErr").asBoolean());
        }));
    }

    @TestFactory
    Stream<DynamicTest> everySubtreeConsistencyVectorVerifiesExactlyAsExpected() throws IOException {
        return vectors("subtreeconsistency").map(v -> DynamicTest.dynamicTest(name(v), () -> {
            JsonNode j = v.json();
            boolean failed = fails(() -> Proofs.verifySubtreeConsistency(num(j, "start"), num(j, "end"),
                    num(j, "size"), proof(j), b64(j, "root1"), b64(j, "root2")));
            assertThat(failed).as(v.path().toString()).isEqualTo(j.get("wantErr").asBoolean());
        }));
    }

    @Test
    void vectorSetIsComplete() throws IOException {
        long count = Stream.of("inclusion", "consistency", "subtreeinclusion", "subtreeconsistency")
                .mapToLong(d -> {
                    try {
                        return vectors(d).count();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).sum();
        assertThat(count).isGreaterThan(500);
    }

    @Test
    void referenceTreeRootsMatchForEverySize() throws Exception {
        JsonNode ref = JSON.readTree(TestFiles.testdata().resolve("tlog/rfc6962_reference_tree.json").toFile());
        List<byte[]> leafHashes = referenceLeafHashes(ref);
        for (int i = 0; i < leafHashes.size(); i++) {
            assertThat(HexFormat.of().formatHex(leafHashes.get(i))).isEqualTo(ref.get("leafHashesHex").get(i).asText());
        }
        TileTree tree = new TileTree();
        for (int size = 0; size <= 8; size++) {
            String want = ref.get("rootHashesBySizeHex").get(Integer.toString(size)).asText();
            assertThat(HexFormat.of().formatHex(Merkle.root(leafHashes.subList(0, size)))).isEqualTo(want);
            assertThat(HexFormat.of().formatHex(tree.root())).isEqualTo(want);
            if (size < 8) tree.append(leafHashes.get(size), null);
        }
    }

    @Test
    void generatedProofsEqualTheHappyPathVectors() throws Exception {
        JsonNode ref = JSON.readTree(TestFiles.testdata().resolve("tlog/rfc6962_reference_tree.json").toFile());
        Merkle.HashSource source = Merkle.inMemory(referenceLeafHashes(ref));
        int checked = 0;
        for (Vector v : vectors("inclusion").filter(v -> v.path().endsWith("happy-path.json")).toList()) {
            JsonNode j = v.json();
            assertThat(Merkle.inclusionProof(source, num(j, "leafIdx"), num(j, "treeSize")))
                    .as(v.path().toString()).usingElementComparator(java.util.Arrays::compare).containsExactlyElementsOf(proof(j));
            checked++;
        }
        for (Vector v : vectors("consistency").filter(v -> v.path().endsWith("happy-path.json")).toList()) {
            JsonNode j = v.json();
            assertThat(Merkle.consistencyProof(source, num(j, "size1"), num(j, "size2")))
                    .as(v.path().toString()).usingElementComparator(java.util.Arrays::compare).containsExactlyElementsOf(proof(j));
            checked++;
        }
        for (Vector v : vectors("subtreeconsistency").filter(v -> v.path().endsWith("happy-path.json")).toList()) {
            JsonNode j = v.json();
            assertThat(num(j, "start")).isZero();
            assertThat(Merkle.consistencyProof(source, num(j, "end"), num(j, "size")))
                    .as(v.path().toString()).usingElementComparator(java.util.Arrays::compare).containsExactlyElementsOf(proof(j));
            checked++;
        }
        assertThat(checked).isEqualTo(15);
    }

    static List<byte[]> referenceLeafHashes(JsonNode ref) {
        List<byte[]> out = new ArrayList<>();
        for (JsonNode hex : ref.get("leafInputsHex")) out.add(Hashes.leafHash(HexFormat.of().parseHex(hex.asText())));
        return out;
    }

    record Vector(Path path, JsonNode json) {}

    private static Stream<Vector> vectors(String dir) throws IOException {
        try (Stream<Path> files = Files.walk(VECTORS.resolve(dir))) {
            List<Path> list = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            List<Vector> out = new ArrayList<>();
            for (Path p : list) out.add(new Vector(p, JSON.readTree(p.toFile())));
            return out.stream();
        }
    }

    private static String name(Vector v) { return VECTORS.relativize(v.path()).toString(); }

    /** uint64 fields read as their 64-bit pattern: values above 2^63-1 arrive negative and must be rejected. */
    private static long num(JsonNode j, String field) { return j.get(field).bigIntegerValue().longValue(); }

    private static byte[] b64(JsonNode j, String field) {
        JsonNode n = j.get(field);
        return n == null || n.isNull() ? new byte[0] : Base64.getDecoder().decode(n.asText());
    }

    private static List<byte[]> proof(JsonNode j) {
        List<byte[]> out = new ArrayList<>();
        JsonNode p = j.get("proof");
        if (p != null && !p.isNull()) for (JsonNode e : p) out.add(Base64.getDecoder().decode(e.asText()));
        return out;
    }

    interface Check { void run() throws TlogException; }

    private static boolean fails(Check c) {
        try {
            c.run();
            return false;
        } catch (TlogException e) {
            assertThat(e.reason()).isEqualTo(TlogException.Reason.INVALID_PROOF);
            return true;
        }
    }
}
