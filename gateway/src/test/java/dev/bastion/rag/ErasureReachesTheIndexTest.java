package dev.bastion.rag;

import dev.bastion.store.StoreConfig;
import dev.bastion.testing.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Deleting a document or erasing a subject removes its chunks and vectors: from results at once, from the sealed
 * records in the same transaction, and from the index files once the background expunge has rewritten them.
 */
class ErasureReachesTheIndexTest {
    static final String SECRET_PLAN = "Operation Kestrel relocates the Utrecht warehouse to Breda in October; "
            + "the landlord Marlowe Holdings has not been told yet.";
    static final String QUESTION = "When does Operation Kestrel move the Utrecht warehouse?";

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void deletingADocumentRemovesItFromResultsAndFromDisk(StoreConfig.Kind kind) throws Exception {
        try (RagFixture f = RagFixture.open(kind)) {
            f.openCollection("ops");
            DocumentRecord plan = f.add("ops", "kestrel.txt", SECRET_PLAN);
            for (int i = 0; i < 11; i++) f.add("ops", "canteen-" + i + ".txt", "The canteen in Breda serves soup " + i);
            // rebuilt in one go, the documents share one segment: deleting one of twelve (under the merge policy's
            // threshold for reclaiming deletes on its own) leaves the vector on disk until the segment is rewritten
            f.stop();
            TestFiles.deleteTree(f.dataDir.resolve("rag"));
            f.start();
            var dev = RagFixture.person("key:dev", "developer");
            assertThat(f.ask(dev, "", QUESTION, List.of("ops"), 3, null).passages().getFirst().document())
                    .isEqualTo(plan.id());
            byte[] vector = vectorBytes(f, plan.id());
            assertThat(onDisk(f.dataDir, vector)).as("the plan's vector is in the index files").isTrue();

            long expunges = f.rag.keeper().expunges();
            f.rag.documents().delete(List.of(plan));

            assertThat(f.ask(dev, "", QUESTION, List.of("ops"), 3, null).passages())
                    .noneMatch(p -> p.document().equals(plan.id()));
            assertThat(rows(f, plan.id())).isZero();
            await().atMost(Duration.ofSeconds(60)).until(() -> f.rag.keeper().expunges() > expunges);
            assertThat(onDisk(f.dataDir, vector)).as("the plan's vector left the index files").isFalse();
            try (var reader = f.rag.keeper().index().openReader()) {
                assertThat(reader.numDeletedDocs()).isZero();
                assertThat(reader.docFreq(new org.apache.lucene.index.Term(ChunkIndex.DOC, plan.id()))).isZero();
            }
            // the text itself was never on disk in clear: not in the index, not in the store
            assertThat(anyFileContains(f.dataDir, "Kestrel")).isFalse();
            if (kind == StoreConfig.Kind.SQLITE) assertThat(anyFileContains(dbDir(f), "Kestrel")).isFalse();
        }
    }

    @Test
    void erasingASubjectRemovesEveryDocumentDeclaredToConcernThem() throws Exception {
        try (RagFixture f = RagFixture.open(StoreConfig.Kind.SQLITE)) {
            f.openCollection("hr");
            f.openCollection("legal");
            f.add("hr", "review.txt", "Annual review for employee 4471: exceeds expectations in logistics planning."
                    .getBytes(StandardCharsets.UTF_8), null, DocumentRecord.DocumentAcl.NONE, List.of("employee-4471"));
            f.add("legal", "contract.txt", "Employment contract of employee 4471 and employee 5120: logistics planner."
                    .getBytes(StandardCharsets.UTF_8), null, DocumentRecord.DocumentAcl.NONE,
                    List.of("employee-4471", "employee-5120"));
            DocumentRecord other = f.add("hr", "policy.txt", "Logistics planning policy: reviews happen every March.");
            var dev = RagFixture.person("key:dev", "developer");
            assertThat(f.ask(dev, "", "logistics planning employee 4471", List.of("hr", "legal"), 5, null).passages())
                    .hasSize(3);

            assertThat(f.rag.eraseSubject("employee-4471")).isEqualTo(2);

            assertThat(f.ask(dev, "", "logistics planning employee 4471", List.of("hr", "legal"), 5, null).passages())
                    .extracting(Retriever.Passage::document).containsExactly(other.id());
            assertThat(f.rag.eraseSubject("employee-4471")).isZero(); // repeatable
            try (var c = f.store.db().connection(); var s = c.createStatement();
                 var rs = s.executeQuery("SELECT COUNT(*) FROM barrier_records WHERE path LIKE 'rag/subjects/%'")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
        }
    }

    @Test
    void retentionDeletesADocumentFromResultsAndStoreOnceItsCollectionsDaysHavePassed() throws Exception {
        try (RagFixture f = RagFixture.open(StoreConfig.Kind.SQLITE)) {
            f.rag.collections().create(new Collection("tickets", "key:owner", "internal",
                    new Collection.AccessRule(List.of(), null, ""), Collection.PersonalData.STORE, 30,
                    f.clock.millis(), "key:admin"));
            f.openCollection("kept");
            DocumentRecord old = f.add("tickets", "ticket.txt", "Ticket 881: the Heron printer jams on duplex pages.");
            DocumentRecord kept = f.add("kept", "manual.txt", "Heron printer manual: duplex pages need the tray.");
            var dev = RagFixture.person("key:dev", "developer");

            f.clock.advance(java.time.Duration.ofDays(29));
            assertThat(f.rag.maintain()).isZero();
            assertThat(f.ask(dev, "", "Heron printer duplex", List.of("tickets", "kept"), 5, null).passages())
                    .extracting(Retriever.Passage::document).containsExactlyInAnyOrder(old.id(), kept.id());

            f.clock.advance(java.time.Duration.ofDays(2));
            assertThat(f.rag.maintain()).isEqualTo(1);
            assertThat(f.ask(dev, "", "Heron printer duplex", List.of("tickets", "kept"), 5, null).passages())
                    .extracting(Retriever.Passage::document).containsExactly(kept.id());
            try (var c = f.store.db().connection(); var s = c.createStatement();
                 var rs = s.executeQuery("SELECT COUNT(*) FROM barrier_records WHERE path LIKE '%" + old.id() + "%' OR path LIKE 'rag/digests/tickets/%'")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
        }
    }

    @Test
    void aDocumentAboutOneSubjectIsUnreadableOnceTheirKeyIsShredded() throws Exception {
        try (RagFixture f = RagFixture.open(StoreConfig.Kind.SQLITE)) {
            f.openCollection("hr");
            DocumentRecord d = f.add("hr", "review.txt", "Review of employee 7781: promoted to shift lead."
                    .getBytes(StandardCharsets.UTF_8), null, DocumentRecord.DocumentAcl.NONE, List.of("employee-7781"));
            assertThat(f.barrier.shredSubject("employee-7781")).isTrue();
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> StoreRecords.over(f.store.db(), f.barrier, java.time.Clock.systemUTC()).get(Records.chunk(d.id(), 0)))
                    .isInstanceOf(dev.bastion.barrier.BarrierException.class);
        }
    }

    @Test
    void theIndexIsRebuiltFromTheSealedRecordsWhenItIsMissing() throws Exception {
        try (RagFixture f = RagFixture.open(StoreConfig.Kind.SQLITE)) {
            f.openCollection("ops");
            DocumentRecord plan = f.add("ops", "kestrel.txt", SECRET_PLAN);
            f.stop();
            TestFiles.deleteTree(f.dataDir.resolve("rag"));
            f.start();
            assertThat(f.ask(RagFixture.person("key:dev", "developer"), "", QUESTION, List.of("ops"), 3, null)
                    .passages().getFirst().document()).isEqualTo(plan.id());
            assertThat(vectorBytes(f, plan.id())).isNotEmpty();
            assertThat(onDisk(f.dataDir, vectorBytes(f, plan.id()))).isTrue();
        }
    }

    @Test
    void theIndexHoldsNoWordOfAnyDocument() throws Exception {
        try (RagFixture f = RagFixture.open(StoreConfig.Kind.SQLITE)) {
            f.openCollection("ops");
            f.add("ops", "kestrel.txt", SECRET_PLAN);
            for (String word : List.of("Kestrel", "kestrel", "Utrecht", "utrecht", "Marlowe", "marlow", "warehouse")) {
                assertThat(anyFileContains(f.dataDir, word)).as(word).isFalse();
            }
            // yet keyword search finds the document by those words
            assertThat(f.rag.keeper().index().keyword("Marlowe Holdings landlord", 5, new ChunkIndex.Filter(
                    List.of("ops"), List.of("internal"), List.of(Tokens.EVERYONE)))).hasSize(1);
        }
    }

    /** The document's first chunk's embedding as the index stores it (float32; either byte order is searched). */
    static byte[] vectorBytes(RagFixture f, String docId) {
        var chunk = Records.decodeChunk(StoreRecords.over(f.store.db(), f.barrier, java.time.Clock.systemUTC())
                .get(Records.chunk(docId, 0)).orElseThrow());
        ByteBuffer b = ByteBuffer.allocate(chunk.vector().length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : chunk.vector()) b.putFloat(x);
        return b.array();
    }

    static boolean onDisk(Path dir, byte[] needle) throws IOException {
        byte[] head = java.util.Arrays.copyOf(needle, 64); // 16 floats are unique enough
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                if (indexOf(Files.readAllBytes(p), head) >= 0) return true;
            }
        }
        return false;
    }

    static boolean anyFileContains(Path dir, String text) throws IOException {
        return onDiskText(dir, text.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean onDiskText(Path dir, byte[] needle) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                if (indexOf(Files.readAllBytes(p), needle) >= 0) return true;
            }
        }
        return false;
    }

    private static Path dbDir(RagFixture f) {
        return Path.of(f.store.config().url().substring("jdbc:sqlite:".length())).getParent();
    }

    private static int rows(RagFixture f, String docId) throws Exception {
        try (var c = f.store.db().connection();
             var ps = c.prepareStatement("SELECT COUNT(*) FROM barrier_records WHERE path LIKE ?")) {
            ps.setString(1, "%" + docId + "%");
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
