package dev.bastion.investigate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.audit.Actor;
import dev.bastion.audit.AuditConfig;
import dev.bastion.audit.AuditLedger;
import dev.bastion.audit.ModelRoute;
import dev.bastion.audit.PolicyDecision;
import dev.bastion.audit.RequestEntry;
import dev.bastion.testing.PlaintextSigningKeyStore;
import dev.bastion.store.StoreConfig;
import dev.bastion.testing.TestStores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Investigator search: every filter finds exactly the entries that state it, newest first and paged; each result
 * carries an inclusion proof that verifies offline against the signed checkpoint; entries after the checkpoint are
 * marked pending; and an index row that points at the wrong entry is caught — on the server and by the verifier.
 */
class AuditSearchTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");
    private static final String TOKEN = "0123456789abcdef0123456789abcdef";

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void filtersFindExactlyTheEntriesThatStateThemAndEveryResultIsProven(StoreConfig.Kind kind) throws Exception {
        try (var store = TestStores.open(kind);
             AuditLedger ledger = AuditLedger.open(store.db(), AuditConfig.defaults("bastion.test/audit")
                     .withIntegrate(false), new PlaintextSigningKeyStore(store.db()), Clock.systemUTC())) {
            for (int i = 0; i < 40; i++) ledger.append(entry(i));
            assertThat(ledger.integrateNow()).isTrue();
            AuditFollower indexer = new AuditFollower(store.db(), SearchIndexer.FOLLOWER, new SearchIndexer(),
                    Clock.systemUTC(), Duration.ofMillis(100), 7, AuditFollower.Start.BEGINNING);
            indexer.catchUp();
            assertThat(indexer.position()).isEqualTo(40);
            AuditSearch search = new AuditSearch(store.db(), ledger.reader(), indexer);
            String vkey = ledger.verifierKey();

            SearchQuery alice = query("key:alice", null, null, null, null, null, 50);
            ObjectNode page = SearchJson.page(alice, search.search(alice));
            assertThat(indexes(page)).hasSize(20).allMatch(i -> i % 2 == 0).isSortedAccordingTo((a, b) -> Long.compare(b, a));
            SearchJson.Verification v = SearchJson.verify(page, alice, vkey);
            assertThat(v.failures()).isEmpty();
            assertThat(v.proven()).isEqualTo(20);

            assertThat(indexes(SearchJson.page(null_(), search.search(query(null, TOKEN, null, null, null, null, 50)))))
                    .containsExactlyElementsOf(List.of(36L, 30L, 24L, 18L, 12L, 6L, 0L));
            assertThat(indexes(SearchJson.page(null_(), search.search(query(null, TOKEN, "EMAIL_ADDRESS", null, null, null, 50)))))
                    .containsExactly(30L, 0L);
            assertThat(indexes(SearchJson.page(null_(), search.search(query(null, null, "EMAIL_ADDRESS", null, null, null, 50)))))
                    .allMatch(i -> i % 5 == 0).hasSize(8);
            assertThat(indexes(SearchJson.page(null_(), search.search(query(null, null, null, "forbid", null, null, 50)))))
                    .allMatch(i -> i % 4 == 3).hasSize(10);
            assertThat(indexes(SearchJson.page(null_(), search.search(query(null, null, null, null,
                    T0.plusSeconds(10), T0.plusSeconds(20), 50))))).containsExactly(19L, 18L, 17L, 16L, 15L, 14L, 13L, 12L, 11L, 10L);

            // pages continue where the last one stopped
            List<Long> all = new ArrayList<>();
            SearchQuery paged = query("key:bob", null, null, null, null, null, 6);
            for (AuditSearch.Page p = search.search(paged); ; p = search.search(paged.withBefore(p.next()))) {
                p.hits().forEach(h -> all.add(h.index()));
                if (p.next() == null) break;
            }
            assertThat(all).hasSize(20).doesNotHaveDuplicates().allMatch(i -> i % 2 == 1);
            // a time range alone is paged by time, too
            List<Long> window = new ArrayList<>();
            SearchQuery timed = query(null, null, null, null, T0.plusSeconds(5), T0.plusSeconds(35), 7);
            for (AuditSearch.Page p = search.search(timed); ; p = search.search(timed.withBefore(p.next()))) {
                p.hits().forEach(h -> window.add(h.index()));
                if (p.next() == null) break;
            }
            assertThat(window).hasSize(30).doesNotHaveDuplicates().isSortedAccordingTo((a, b) -> Long.compare(b, a));

            // sequenced after the checkpoint: found, marked pending, no proof yet
            ledger.append(entry(40));
            ObjectNode fresh = SearchJson.page(alice, search.search(alice));
            assertThat(fresh.path("results").get(0).path("index").asLong()).isEqualTo(40);
            assertThat(fresh.path("results").get(0).path("pending").asBoolean()).isTrue();
            assertThat(SearchJson.verify(fresh, alice, vkey).pending()).isEqualTo(1);

            // an index row that lies (bob's entry filed under alice) is dropped by the server …
            try (var c = store.db().connection(); var u = c.prepareStatement(
                    "UPDATE audit_search SET principal = 'key:alice' WHERE idx = 21")) {
                u.executeUpdate();
            }
            assertThat(indexes(SearchJson.page(alice, search.search(alice)))).doesNotContain(21L);
            // … and a server that returned it anyway (with a valid proof) is caught by the verifier
            ObjectNode lying = page.deepCopy();
            ((ArrayNode) lying.path("results")).add(SearchJson.hit(21, ledger.reader().entry(21).orElseThrow(),
                    ledger.reader().inclusionProof(21, 40)));
            assertThat(SearchJson.verify(lying, alice, vkey).failures()).anyMatch(f -> f.contains("does not satisfy"));
            // so is a swapped entry (another of alice's, not the one the proof is for)
            ObjectNode swapped = page.deepCopy();
            ((ObjectNode) swapped.path("results").get(0)).put("entry_base64",
                    swapped.path("results").get(1).path("entry_base64").asText());
            assertThat(SearchJson.verify(swapped, alice, vkey).ok()).isFalse();
            // and a checkpoint signed by another key
            assertThat(SearchJson.verify(page, alice, otherKey()).ok()).isFalse();
        }
    }

    /** Entry i: alice on even, bob on odd; subject on every 6th; an email finding on every 5th; forbid on 4k+3. */
    static RequestEntry entry(int i) {
        return RequestEntry.builder("req-" + i, T0.plusSeconds(i))
                .principal(Actor.of(i % 2 == 0 ? "key:alice" : "key:bob", List.of("developer"), "api_key"))
                .action("model.invoke").model(ModelRoute.alias(i % 3 == 0 ? "chat" : "embed"))
                .purpose("support").subjects(i % 6 == 0 ? List.of(TOKEN) : List.of())
                .decision(new PolicyDecision(i % 4 == 3 ? "forbid" : "permit", List.of("r1"), List.of()))
                .findings(i % 5 == 0 ? Map.of("EMAIL_ADDRESS", 1) : Map.of()).build();
    }

    static SearchQuery query(String principal, String subject, String finding, String decision, Instant from,
                             Instant to, int limit) {
        return new SearchQuery(principal, subject, null, null, decision, finding, null, from, to, null, limit);
    }

    private static SearchQuery null_() { return query(null, null, null, null, null, null, 1); }

    static List<Long> indexes(ObjectNode page) {
        List<Long> out = new ArrayList<>();
        page.path("results").forEach(r -> out.add(r.path("index").asLong()));
        return out;
    }

    private static String otherKey() {
        return dev.bastion.audit.tlog.NoteSigner.fromSeed("bastion.test/audit", new byte[32]).verifierKey();
    }

    static ObjectMapper json() { return JSON; }
}
