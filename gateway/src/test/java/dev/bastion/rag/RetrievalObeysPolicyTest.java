package dev.bastion.rag;

import dev.bastion.identity.Principal;
import dev.bastion.pipeline.ProblemException;
import dev.bastion.store.StoreConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The caller's permissions decide what is a candidate, before anything is ranked: collection rules (roles, purposes,
 * a policy-language condition), document ACLs and the classification limit of the target.
 */
class RetrievalObeysPolicyTest {
    static final String QUESTION = "What is the approved budget for the Falcon project in 2027?";
    static final String FINANCE_TEXT = "Falcon project budget 2027: the board approved a budget of 4.2 million euros "
            + "for the Falcon project in 2027, with a reserve of 300,000 euros.";

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void aDeveloperRetrievesNothingFromAFinanceOnlyCollectionEvenWhenItIsTheBestMatch(StoreConfig.Kind kind) throws Exception {
        try (RagFixture f = RagFixture.open(kind)) {
            f.collection("finance", "confidential", new Collection.AccessRule(List.of("finance"), null, ""),
                    Collection.PersonalData.STORE);
            f.openCollection("handbook");
            // more best matches in finance than the searches' candidate lists hold: a top-k-then-drop retrieval
            // would find nothing readable for the developer
            for (int i = 0; i < 60; i++) f.add("finance", "budget-" + i + ".txt", FINANCE_TEXT + " Copy " + i + ".");
            for (int i = 0; i < 6; i++) {
                f.add("handbook", "projects-" + i + ".md", "# Projects\n\nProject " + i + " planning notes: every "
                        + "project keeps its budget in the finance system; ask the project office.");
            }
            Principal developer = RagFixture.person("key:dev", "developer");
            Principal analyst = RagFixture.person("key:fin", "developer", "finance");

            Retriever.Result dev = f.ask(developer, "", QUESTION, List.of("finance", "handbook"), 5, null);
            assertThat(dev.passages()).hasSize(5).allSatisfy(p -> assertThat(p.collection()).isEqualTo("handbook"));
            assertThat(dev.passages()).noneMatch(p -> p.text().contains("4.2 million"));
            assertThat(dev.unavailable()).containsExactly("finance");

            Retriever.Result fin = f.ask(analyst, "", QUESTION, List.of("finance", "handbook"), 5, null);
            assertThat(fin.passages().getFirst().collection()).isEqualTo("finance");
            assertThat(fin.passages().getFirst().text()).contains("4.2 million euros");
            assertThat(fin.unavailable()).isEmpty();
        }
    }

    @Test
    void aPolicyLanguageConditionAndAPurposeDecideWhoRetrieves() throws Exception {
        try (RagFixture f = RagFixture.open(StoreConfig.Kind.SQLITE)) {
            f.collection("support-cases", "internal", new Collection.AccessRule(List.of(), List.of("support"),
                    "principal.type == \"user\" && \"developer\" in principal.roles"), Collection.PersonalData.STORE);
            f.add("support-cases", "case.txt", "Ticket 88: the printer on floor three jams when duplex is on.");
            Principal dev = RagFixture.person("key:dev", "developer");
            assertThat(f.ask(dev, "", "printer jams duplex", List.of("support-cases"), 3, null).passages()).isEmpty();
            assertThat(f.ask(dev, "analytics", "printer jams duplex", List.of("support-cases"), 3, null).passages()).isEmpty();
            assertThat(f.ask(dev, "support", "printer jams duplex", List.of("support-cases"), 3, null).passages())
                    .singleElement().satisfies(p -> assertThat(p.text()).contains("floor three"));
            Principal service = new Principal("key:svc", Principal.Type.SERVICE, java.util.Set.of("developer"), Map.of(),
                    Principal.AuthMethod.API_KEY, java.util.Set.of());
            assertThat(f.ask(service, "support", "printer jams duplex", List.of("support-cases"), 3, null).passages())
                    .isEmpty();
            // an administrator never retrieves text (the policy's separation of duties), whatever the rule says
            assertThat(f.ask(RagFixture.person("key:adm", "admin", "developer"), "support", "printer jams duplex",
                    List.of("support-cases"), 3, null).passages()).isEmpty();
        }
    }

    @Test
    void anAccessRuleThatDoesNotCompileOrNamesAnUnknownRoleOrPurposeIsRefused() throws Exception {
        try (RagFixture f = RagFixture.open(StoreConfig.Kind.SQLITE)) {
            assertThatThrownBy(() -> f.collection("broken", "internal",
                    new Collection.AccessRule(List.of(), null, "principal.rolez.size() > 0"), Collection.PersonalData.STORE))
                    .isInstanceOf(ProblemException.class)
                    .satisfies(e -> assertThat(((ProblemException) e).problem().code().code()).isEqualTo("access_rule_invalid"));
            assertThat(f.rag.collections().get("broken")).isEmpty();
            // a role or purpose the policy does not know would admit nobody: refused as a typo
            for (var rule : List.of(new Collection.AccessRule(List.of("fiance"), null, ""),
                    new Collection.AccessRule(List.of(), List.of("curiosity"), ""))) {
                assertThatThrownBy(() -> f.collection("typo", "internal", rule, Collection.PersonalData.STORE))
                        .isInstanceOf(ProblemException.class)
                        .satisfies(e -> assertThat(((ProblemException) e).problem().code().code())
                                .isEqualTo("access_rule_invalid"));
            }
            assertThat(f.rag.collections().get("typo")).isEmpty();
        }
    }

    @Test
    void aDocumentAclNarrowsACollectionToTheListedRolesPeopleAndTeams() throws Exception {
        try (RagFixture f = RagFixture.open(StoreConfig.Kind.SQLITE)) {
            f.openCollection("hr");
            f.add("hr", "salaries.txt", "Salary bands 2027: band 4 pays between 61,000 and 74,000 euros a year."
                    .getBytes(), null, new DocumentRecord.DocumentAcl(List.of("hr"), List.of("key:ceo"),
                    Map.of("team", List.of("people-ops"))), List.of());
            f.add("hr", "holidays.txt", "Holidays 2027: everyone has 28 days of paid leave and salary is paid monthly.");
            assertThatThrownBy(() -> f.add("hr", "bonus.txt", "Bonus rules.".getBytes(), null,
                    new DocumentRecord.DocumentAcl(List.of("h-r"), List.of(), Map.of()), List.of()))
                    .isInstanceOf(ProblemException.class)
                    .satisfies(e -> assertThat(((ProblemException) e).problem().code().code()).isEqualTo("invalid_field"));
            String q = "salary bands pay 2027";
            assertThat(f.ask(RagFixture.person("key:dev", "developer"), "", q, List.of("hr"), 5, null).passages())
                    .extracting(Retriever.Passage::source).containsExactly("holidays.txt");
            for (Principal p : List.of(RagFixture.person("key:hr", "developer", "hr"), RagFixture.person("key:ceo", "developer"),
                    RagFixture.person("key:po", Map.of("team", "people-ops"), "developer"))) {
                assertThat(f.ask(p, "", q, List.of("hr"), 5, null).passages())
                        .extracting(Retriever.Passage::source).contains("salaries.txt");
            }
        }
    }

    @Test
    void aDocumentAboveTheTargetsClassificationIsNeverACandidate() throws Exception {
        try (RagFixture f = RagFixture.open(StoreConfig.Kind.SQLITE)) {
            f.openCollection("projects");
            f.add("projects", "merger.txt", "Project Osprey merger terms: the acquisition price is 90 million."
                    .getBytes(), "restricted", DocumentRecord.DocumentAcl.NONE, List.of());
            f.add("projects", "osprey-faq.txt", "Project Osprey FAQ: the project has a new office in Lyon.");
            Principal dev = RagFixture.person("key:dev", "developer");
            String q = "Project Osprey merger acquisition price";
            assertThat(f.ask(dev, "", q, List.of("projects"), 5, "internal").passages())
                    .extracting(Retriever.Passage::source).containsExactly("osprey-faq.txt");
            assertThat(f.ask(dev, "", q, List.of("projects"), 5, "restricted").passages().getFirst().source())
                    .isEqualTo("merger.txt");
            assertThat(f.ask(dev, "", q, List.of("projects"), 5, "").passages()).isEmpty(); // a target approved for nothing
        }
    }

    @Test
    void aDocumentIsNeverClassifiedBelowItsCollection() throws Exception {
        try (RagFixture f = RagFixture.open(StoreConfig.Kind.SQLITE)) {
            f.collection("board", "confidential", new Collection.AccessRule(List.of(), null, ""), Collection.PersonalData.STORE);
            assertThatThrownBy(() -> f.add("board", "minutes.txt", "Minutes of the board.".getBytes(), "public",
                    DocumentRecord.DocumentAcl.NONE, List.of())).isInstanceOf(ProblemException.class);
            assertThat(f.add("board", "minutes.txt", "Minutes of the board.").classification()).isEqualTo("confidential");
        }
    }

    @Test
    void everyRetrievalIsAuditedWithDocumentDigestsAndNeverText() throws Exception {
        try (RagFixture f = RagFixture.open(StoreConfig.Kind.SQLITE)) {
            f.openCollection("handbook");
            DocumentRecord d = f.add("handbook", "wifi.txt", "The guest wifi password rotates every Monday morning.");
            f.ask(RagFixture.person("key:dev", "developer"), "support", "when does the guest wifi password rotate",
                    List.of("handbook", "nope"), 3, "internal");
            f.ask(RagFixture.person("key:dev", "developer"), "", "nothing here", List.of("nope"), 3, null);
            assertThat(f.audit).hasSize(2);
            var first = f.audit.getFirst();
            assertThat(first.documents()).containsExactly(d.digest());
            assertThat(first.collections()).containsExactly("handbook");
            assertThat(first.unavailable()).isEqualTo(1);
            assertThat(first.purpose()).isEqualTo("support");
            assertThat(first.maxClassification()).isEqualTo("internal");
            String json = new String(first.toCanonicalJson(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(json).contains("bastion.audit.retrieval/v1", d.digest()).doesNotContain("wifi", "Monday");
            assertThat(f.audit.get(1).documents()).isEmpty();
        }
    }
}
