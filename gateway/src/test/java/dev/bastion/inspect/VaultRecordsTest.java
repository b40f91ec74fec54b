package dev.bastion.inspect;

import dev.bastion.barrier.Barrier;
import dev.bastion.barrier.BarrierException;
import dev.bastion.barrier.BarrierStore;
import dev.bastion.store.StoreConfig;
import dev.bastion.testing.ManualClock;
import dev.bastion.testing.TestStores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The vault's entries of a subject are found by the subject's token, read while every owner's key lives, unreadable
 * once one is shredded, and deleted with every record that indexed them; retention scans select by age and labels.
 */
class VaultRecordsTest {
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void aSubjectsEntriesAreFoundReadShreddedAndDeletedWithTheirIndexRecords(StoreConfig.Kind kind) throws Exception {
        try (var h = TestStores.open(kind)) {
            ManualClock clock = new ManualClock(T0);
            Barrier barrier = PseudonymVaultTest.barrier(h);
            BarrierStore records = BarrierStore.over(h.db(), barrier, clock);
            var vault = new BarrierPseudonymVault(records, PseudonymVaultTest.index(), clock, Duration.ofDays(30));
            VaultRecords view = new VaultRecords(vault);
            VaultOwner both = new VaultOwner(records.forSubjects(List.of("ana", "bo")), List.of("aaaa", "bbbb"),
                    "support", "confidential");
            String shared = vault.tokenFor("c-1", EntityType.PERSON, "Ana and Bo", both);
            clock.set(T0.plusSeconds(60));
            vault.tokenFor("c-1", EntityType.EMAIL_ADDRESS, "bo@example.com",
                    new VaultOwner(records.forSubjects(List.of("bo")), List.of("bbbb"), "analytics", null));
            vault.tokenFor("c-2", EntityType.PERSON, "Nobody In Particular"); // no subjects named

            assertThat(view.ofSubject("aaaa")).singleElement().satisfies(e -> {
                assertThat(e.token()).isEqualTo(shared);
                assertThat(e.purpose()).isEqualTo("support");
                assertThat(e.classification()).isEqualTo("confidential");
                assertThat(e.createdAt()).isEqualTo(T0.toEpochMilli());
                assertThat(view.original(e)).isEqualTo("Ana and Bo");
            });
            assertThat(view.ofSubject("bbbb")).extracting(VaultRecords.Entry::entityType)
                    .containsExactly("PERSON", "EMAIL_ADDRESS");
            assertThat(view.createdBefore(T0.plusSeconds(1).toEpochMilli(), null, null)).hasSize(1);
            assertThat(view.createdBefore(T0.plusSeconds(61).toEpochMilli(), null, null)).hasSize(3);
            assertThat(view.createdBefore(T0.plusSeconds(61).toEpochMilli(), "analytics", null)).hasSize(1);
            assertThat(view.createdBefore(T0.plusSeconds(61).toEpochMilli(), null, "confidential")).hasSize(1);

            assertThat(barrier.shredSubject("ana")).isTrue();
            VaultRecords.Entry anas = view.ofSubject("aaaa").getFirst();
            assertThatThrownBy(() -> view.original(anas)).isInstanceOfSatisfying(BarrierException.class,
                    e -> assertThat(e.kind()).isEqualTo(BarrierException.Kind.SHREDDED));

            int before = paths(h).size();
            assertThat(view.deleteOfSubject("bbbb")).isEqualTo(2);
            assertThat(view.ofSubject("aaaa")).isEmpty();
            assertThat(view.ofSubject("bbbb")).isEmpty();
            List<String> left = paths(h);
            assertThat(left).as("only the unowned entry's records are left").hasSize(4)
                    .allMatch(p -> !p.startsWith("inspect/pseudonym-subjects/"));
            assertThat(before - left.size()).as("two entries of 4 records + 3 subject records").isEqualTo(11);
            assertThat(vault.tokenFor("c-1", EntityType.PERSON, "Ana and Bo")).as("the value gets a new token")
                    .isEqualTo("<PERSON_1>");
        }
    }

    private static List<String> paths(TestStores.Handle h) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = h.db().connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT path FROM barrier_records WHERE path LIKE 'inspect/%'")) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }
}
