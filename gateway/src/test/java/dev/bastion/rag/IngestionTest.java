package dev.bastion.rag;

import dev.bastion.pipeline.ProblemException;
import dev.bastion.store.StoreConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every document is inspected at ingest, and the collection decides what happens to the personal data found. */
class IngestionTest {
    static final List<List<String>> LETTER = List.of(
            List.of("Customer complaint, March 2027", "",
                    "Our customer Jane Doe wrote to us about the late delivery of order 5512.",
                    "She can be reached at jane.doe@example.com or on +1 415 555 0134.",
                    "Resolution: a refund of 40 euros was approved by the support lead."),
            List.of("Follow-up", "", "Jane Doe confirmed the refund arrived. Case closed."));

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void aPdfWithPersonalDataIsPseudonymisedAtIngest(StoreConfig.Kind kind) throws Exception {
        try (RagFixture f = RagFixture.open(kind)) {
            f.collection("complaints", "internal", new Collection.AccessRule(List.of(), null, ""),
                    Collection.PersonalData.PSEUDONYMISE);
            DocumentRecord d = f.add("complaints", "complaint-5512.pdf", Pdfs.of("Complaint 5512", LETTER), null,
                    DocumentRecord.DocumentAcl.NONE, List.of());
            assertThat(d.format()).isEqualTo("pdf");
            assertThat(d.pages()).isEqualTo(2);
            assertThat(d.personalData()).isEqualTo("pseudonymised");
            assertThat(d.findings()).containsEntry("EMAIL_ADDRESS", 1).containsKey("PHONE_NUMBER").containsKey("PERSON");

            var passages = f.ask(RagFixture.person("key:dev", "developer"), "", "late delivery refund order 5512",
                    List.of("complaints"), 5, null).passages();
            String all = String.join("\n", passages.stream().map(Retriever.Passage::text).toList());
            assertThat(all).contains("late delivery of order 5512", "{{EMAIL_ADDRESS_1:")
                    .doesNotContain("jane.doe@example.com", "555 0134", "Jane Doe");
            // the same person has the same pseudonym on both pages
            String person = all.replaceAll("(?s).*?(\\{\\{PERSON_\\d+:[0-9a-f]{6}}}).*", "$1");
            assertThat(all.split(java.util.regex.Pattern.quote(person), -1).length - 1).isGreaterThanOrEqualTo(2);
            assertThat(passages.getFirst().page()).isPositive();
            assertThat(passages.getFirst().heading()).isEqualTo("Complaint 5512");
        }
    }

    @Test
    void aCollectionThatRefusesPersonalDataStoresNothingOfSuchADocument() throws Exception {
        try (RagFixture f = RagFixture.open(StoreConfig.Kind.SQLITE)) {
            f.collection("public-site", "public", new Collection.AccessRule(List.of(), null, ""),
                    Collection.PersonalData.REFUSE);
            assertThatThrownBy(() -> f.add("public-site", "letter.pdf", Pdfs.of(null, LETTER), null,
                    DocumentRecord.DocumentAcl.NONE, List.of()))
                    .isInstanceOf(ProblemException.class)
                    .satisfies(e -> {
                        var p = ((ProblemException) e).problem();
                        assertThat(p.code().code()).isEqualTo("document_refused");
                        assertThat(p.message()).contains("EMAIL_ADDRESS").doesNotContain("jane");
                    });
            assertThat(f.rag.documents().list("public-site")).isEmpty();
            try (var c = f.store.db().connection(); var s = c.createStatement();
                 var rs = s.executeQuery("SELECT COUNT(*) FROM barrier_records WHERE path LIKE 'rag/chunks/%'")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
            assertThat(f.add("public-site", "opening-hours.md", "# Opening hours\n\nWe open at nine.").chunks()).isEqualTo(1);
        }
    }

    @Test
    void anEmailAddressInAMarkdownDocumentIsCountedAndPseudonymised() throws Exception {
        try (RagFixture f = RagFixture.open(StoreConfig.Kind.SQLITE)) {
            f.collection("people", "internal", new Collection.AccessRule(List.of(), null, ""),
                    Collection.PersonalData.PSEUDONYMISE);
            DocumentRecord d = f.add("people", "onboarding.md", "# Onboarding\n\nNew staff write to "
                    + "grace.hopper@example.com on their first day; laptops are collected at the front desk.");
            assertThat(d.findings()).as(d.findings().toString()).containsEntry("EMAIL_ADDRESS", 1);
            String text = f.ask(RagFixture.person("key:dev", "developer"), "", "where are laptops collected",
                    List.of("people"), 1, null).passages().getFirst().text();
            assertThat(text).contains("{{EMAIL_ADDRESS_1:", "front desk").doesNotContain("grace", "hopper");
        }
    }

    @Test
    void secretsAreMaskedEvenWhereDocumentsAreStoredAsWritten() throws Exception {
        try (RagFixture f = RagFixture.open(StoreConfig.Kind.SQLITE)) {
            f.openCollection("runbooks");
            DocumentRecord d = f.add("runbooks", "deploy.md", "# Deploy\n\nExport the token "
                    + "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8 before running the deploy script for Jane Doe.");
            assertThat(d.findings()).containsKey("SECRET");
            var text = f.ask(RagFixture.person("key:dev", "developer"), "", "deploy script token", List.of("runbooks"),
                    1, null).passages().getFirst().text();
            assertThat(text).contains("[SECRET]", "Jane Doe").doesNotContain("ghp_");
        }
    }

    @Test
    void theSameBytesTwiceAreOneDocument() throws Exception {
        try (RagFixture f = RagFixture.open(StoreConfig.Kind.SQLITE)) {
            f.openCollection("notes");
            byte[] bytes = "Lunch is served from noon.".getBytes(StandardCharsets.UTF_8);
            var first = f.rag.ingestor().ingest(f.rag.collections().require("notes"), new Ingestor.Upload("a.txt", null,
                    bytes, null, DocumentRecord.DocumentAcl.NONE, List.of(), true, "key:admin"));
            var again = f.rag.ingestor().ingest(f.rag.collections().require("notes"), new Ingestor.Upload("b.txt", null,
                    bytes, null, DocumentRecord.DocumentAcl.NONE, List.of(), true, "key:admin"));
            assertThat(again.duplicate()).isTrue();
            assertThat(again.document().id()).isEqualTo(first.document().id());
            assertThat(f.rag.documents().list("notes")).hasSize(1);
        }
    }

    @Test
    void unreadableUploadsAreRefusedWithAStableCode() throws Exception {
        try (RagFixture f = RagFixture.open(StoreConfig.Kind.SQLITE)) {
            f.openCollection("notes");
            for (var bad : List.of(new Object[]{"broken.pdf", "%PDF-1.7 this is not a pdf".getBytes()},
                    new Object[]{"latin1.txt", new byte[]{'c', 'a', 'f', (byte) 0xE9}},
                    new Object[]{"empty.html", "<html><script>alert(1)</script></html>".getBytes()})) {
                assertThatThrownBy(() -> f.add("notes", (String) bad[0], (byte[]) bad[1], null,
                        DocumentRecord.DocumentAcl.NONE, List.of()))
                        .isInstanceOf(ProblemException.class)
                        .satisfies(e -> assertThat(((ProblemException) e).problem().code().code())
                                .isEqualTo("document_unreadable"));
            }
        }
    }
}
