package dev.bastion.bench.privacy;

import dev.bastion.audit.Actor;
import dev.bastion.audit.AuditConfig;
import dev.bastion.audit.AuditLedger;
import dev.bastion.audit.ModelRoute;
import dev.bastion.audit.PolicyDecision;
import dev.bastion.audit.RequestEntry;
import dev.bastion.bench.BenchStore;
import dev.bastion.investigate.AuditFollower;
import dev.bastion.investigate.AuditSearch;
import dev.bastion.investigate.SearchIndexer;
import dev.bastion.investigate.SearchQuery;
import dev.bastion.store.Database;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Investigator search over a large log (the goal: p95 ≤ 200 ms over 1 M entries). Builds the log through the real
 * ledger (group-committed appends, integration, signed checkpoint), indexes it with the real follower, then times
 * {@link AuditSearch#search} — candidates from the index, entries read back, inclusion proofs for a page of 50 —
 * for a mix of investigator questions with random parameters.
 *
 * <p>Run: {@code java -cp bench/target/bastion-bench.jar dev.bastion.bench.privacy.AuditSearchRun
 * [sqlite|postgres] [entries=1000000] [queries-per-kind=100] [data-dir]}
 */
public final class AuditSearchRun {
    private static final Instant T0 = Instant.parse("2026-10-01T00:00:00Z");
    private static final String[] MODELS = {"chat", "chat-large", "embed", "code", "summarise", "triage", "vision",
            "rerank", "translate", "classify"};
    private static final String[] FINDINGS = {"PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "IBAN_CODE", "CREDIT_CARD",
            "US_SSN", "MEDICAL_RECORD_NUMBER", "DATE_OF_BIRTH", "LOCATION", "SECRET", "PROMPT_INJECTION", "IP_ADDRESS"};
    private static final int PRINCIPALS = 500;
    private static final int SUBJECTS = 20_000;

    private AuditSearchRun() {}

    public static void main(String[] args) throws Exception {
        String kind = args.length > 0 ? args[0] : "sqlite";
        int entries = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int perKind = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        Path dir = Files.createTempDirectory(args.length > 3 ? Path.of(args[3]) : Path.of(System.getProperty("java.io.tmpdir")),
                "bastion-search");
        try (BenchStore store = BenchStore.create(kind, dir); Database db = Database.open(store.config);
             AuditLedger ledger = AuditLedger.open(db, AuditConfig.defaults("bench.bastion.local/audit").withIntegrate(false),
                     BenchStore.throwAwayKey(), Clock.systemUTC())) {
            long t = System.nanoTime();
            Random random = new Random(42);
            List<CompletableFuture<Long>> pending = new ArrayList<>();
            for (int i = 0; i < entries; i++) {
                pending.add(ledger.appendAsync(entry(i, random)));
                if (pending.size() == 20_000) {
                    for (var f : pending) f.join();
                    pending.clear();
                }
            }
            for (var f : pending) f.join();
            long appended = System.nanoTime();
            ledger.integrateNow();
            long integrated = System.nanoTime();
            AuditFollower indexer = new AuditFollower(db, SearchIndexer.FOLLOWER, new SearchIndexer(), Clock.systemUTC(),
                    Duration.ofSeconds(1), 5_000, AuditFollower.Start.BEGINNING);
            indexer.catchUp();
            if (kind.equals("postgres")) {
                // what autovacuum does to a table that grew by a million rows: without statistics the planner
                // guesses, and a server that has run for a while has them
                try (var c = db.connection(); var s = c.createStatement()) {
                    s.execute("ANALYZE");
                }
            }
            long indexed = System.nanoTime();
            System.out.printf(Locale.ROOT, "%s: %,d entries appended in %.1f s, integrated in %.1f s, indexed in %.1f s%n",
                    kind, entries, secs(appended - t), secs(integrated - appended), secs(indexed - integrated));

            AuditSearch search = new AuditSearch(db, ledger.reader(), indexer);
            long span = (long) entries * 2_600; // entries are 2.6 s apart: 1 M entries ≈ 30 days
            Map<String, Function<Random, SearchQuery>> kinds = new LinkedHashMap<>();
            kinds.put("principal", r -> q("key:p" + r.nextInt(PRINCIPALS), null, null, null, null, null, null));
            kinds.put("subject", r -> q(null, token(r.nextInt(SUBJECTS)), null, null, null, null, null));
            kinds.put("model+decision", r -> q(null, null, MODELS[r.nextInt(MODELS.length)], "forbid", null, null, null));
            kinds.put("finding", r -> q(null, null, null, null, FINDINGS[r.nextInt(FINDINGS.length)], null, null));
            kinds.put("day", r -> {
                Instant from = T0.plusMillis((long) (r.nextDouble() * (span - 86_400_000L)));
                return q(null, null, null, null, null, from, from.plusSeconds(86_400));
            });
            kinds.put("principal+week", r -> {
                Instant from = T0.plusMillis((long) (r.nextDouble() * (span - 7 * 86_400_000L)));
                return q("key:p" + r.nextInt(PRINCIPALS), null, null, null, null, from, from.plusSeconds(7 * 86_400));
            });
            kinds.put("subject+finding", r -> q(null, token(r.nextInt(SUBJECTS)), null, null, "PERSON", null, null));
            for (var k : kinds.values()) for (int i = 0; i < 5; i++) search.search(k.apply(random)); // warm up
            List<Long> all = new ArrayList<>();
            for (var k : kinds.entrySet()) {
                long[] times = new long[perKind];
                int hits = 0;
                for (int i = 0; i < perKind; i++) {
                    SearchQuery query = k.getValue().apply(random);
                    long s = System.nanoTime();
                    hits += search.search(query).hits().size();
                    times[i] = System.nanoTime() - s;
                    all.add(times[i]);
                }
                Arrays.sort(times);
                System.out.printf(Locale.ROOT, "  %-16s p50 %6.1f ms  p95 %6.1f ms  max %6.1f ms  (%.1f results/query)%n",
                        k.getKey(), ms(times, .5), ms(times, .95), times[times.length - 1] / 1e6, hits / (double) perKind);
            }
            long[] total = all.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf(Locale.ROOT, "  %-16s p50 %6.1f ms  p95 %6.1f ms  p99 %6.1f ms  (%d queries, page of 50 "
                    + "with inclusion proofs)%n", "all", ms(total, .5), ms(total, .95), ms(total, .99), total.length);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** A request entry as the gateway writes it: skewed principals, some subjects, some findings, few forbids. */
    static RequestEntry entry(int i, Random r) {
        int principal = (int) Math.min(PRINCIPALS - 1, Math.abs(r.nextGaussian()) * PRINCIPALS / 3);
        List<String> subjects = r.nextInt(4) == 0 ? List.of() : r.nextInt(10) == 0
                ? List.of(token(r.nextInt(SUBJECTS)), token(r.nextInt(SUBJECTS))) : List.of(token(r.nextInt(SUBJECTS)));
        Map<String, Integer> findings = new LinkedHashMap<>();
        if (r.nextInt(5) == 0) findings.put(FINDINGS[r.nextInt(FINDINGS.length)], 1 + r.nextInt(3));
        if (!subjects.isEmpty() && r.nextInt(2) == 0) findings.put("PERSON", 1);
        return RequestEntry.builder("req_" + Integer.toString(i, 36), T0.plusMillis(i * 2_600L))
                .principal(Actor.of("key:p" + principal, List.of("developer"), "api_key")).clientAddress("10.0.0." + (i % 250))
                .action(r.nextInt(5) == 0 ? "model.embed" : "model.invoke").model(ModelRoute.alias(MODELS[r.nextInt(MODELS.length)]))
                .purpose("support").subjects(subjects).classification("internal")
                .decision(new PolicyDecision(r.nextInt(50) == 0 ? "forbid" : "permit", List.of("developer-models"),
                        List.of("pseudonymise:PERSON", "mask:EMAIL_ADDRESS")))
                .findings(findings).stream(r.nextBoolean()).build();
    }

    static String token(int subject) {
        return HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(16).putLong(0x5eed_0000L + subject)
                .putLong(subject * 0x9E3779B97F4A7C15L).array());
    }

    private static SearchQuery q(String principal, String subject, String model, String decision, String finding,
                                 Instant from, Instant to) {
        return new SearchQuery(principal, subject, null, model, decision, finding, null, from, to, null, 50);
    }

    private static double ms(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }

    private static double secs(long nanos) { return nanos / 1e9; }
}
