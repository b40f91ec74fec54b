package dev.bastion.rag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.barrier.Barrier;
import dev.bastion.barrier.InsecureFileKeyProvider;
import dev.bastion.barrier.SecretStore;
import dev.bastion.barrier.ServerSecrets;
import dev.bastion.config.RagSettings;
import dev.bastion.identity.Principal;
import dev.bastion.inspect.Inspector;
import dev.bastion.policy.Policy;
import dev.bastion.policy.PolicyHolder;
import dev.bastion.policy.RequestFacts;
import dev.bastion.store.ChangeFeed;
import dev.bastion.store.Database;
import dev.bastion.store.StoreConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Retrieval as the server assembles it (SQLite store, barrier, change feed, standard detectors, MiniLM), without
 * HTTP, for the benchmarks of this package. It lives in the {@code rag} package so it can drive the same package-private
 * objects the server uses instead of a copy of them.
 */
final class BenchRig implements AutoCloseable {
    final Path dir;
    final Database db;
    final Barrier barrier;
    final ChangeFeed feed;
    final Rag rag;
    final AtomicLong audited = new AtomicLong();

    BenchRig(boolean embeddings) throws IOException {
        this.dir = Files.createTempDirectory("bastion-rag-bench");
        this.db = Database.open(StoreConfig.sqlite(dir.resolve("bastion.db")));
        this.barrier = Barrier.over(db);
        barrier.initialize(new InsecureFileKeyProvider(dir.resolve("root.key")));
        this.feed = ChangeFeed.start(db, ChangeFeed.Settings.defaults());
        ServerSecrets secrets = new ServerSecrets(SecretStore.over(db, barrier), new SecureRandom());
        RagSettings s = RagSettings.DEFAULTS;
        this.rag = Rag.start(s, dir, db, barrier, secrets.source("rag/term-key", 32), secrets.source("rag/token-key", 32),
                Inspector.standard(), PolicyHolder.of(financePolicy()), feed, e -> audited.incrementAndGet(),
                Clock.systemUTC(), embeddings ? Embeddings.miniLm() : null);
        while (!rag.ready()) Thread.onSpinWait();
    }

    /** The shipped policy with one more declared role, {@code finance}, that the benchmarks' collections name. */
    static Policy financePolicy() {
        try (var in = Policy.class.getResourceAsStream(Policy.DEFAULT_RESOURCE)) {
            String shipped = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return Policy.parse("default+finance", shipped.replace("\nroles: [", "\nroles: [finance, "));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    Collection collection(String name, List<String> roles) {
        return rag.collections().create(new Collection(name, "key:bench", "internal",
                new Collection.AccessRule(roles, null, ""), Collection.PersonalData.PSEUDONYMISE, 0,
                System.currentTimeMillis(), "key:bench"));
    }

    Retriever.Result ask(Principal who, String question, List<String> collections, int k) {
        return rag.retriever().retrieve(new Retriever.Query(who, new RequestFacts("", List.of(), "", "127.0.0.1",
                Instant.now(), Map.of()), collections, question, k, "confidential", null, "bench", "127.0.0.1"));
    }

    static Principal developer(String... extraRoles) {
        Set<String> roles = new java.util.HashSet<>(Set.of(extraRoles));
        roles.add("developer");
        return new Principal("key:bench-dev", Principal.Type.USER, roles, Map.of(), Principal.AuthMethod.API_KEY, Set.of());
    }

    /** A paragraph of the QA sample: id ({@code Title-n}), title, text. */
    record Paragraph(String id, String title, String text) {}

    /** An answerable question and the id of the paragraph it was asked about. */
    record Question(String text, String paragraph) {}

    record Squad(List<Paragraph> paragraphs, List<Question> questions) {}

    static Squad squad(Path testdata) throws IOException {
        JsonNode root = new ObjectMapper().readTree(testdata.resolve("qa/squad-v2.0-dev-sample.json").toFile());
        List<Paragraph> paragraphs = new ArrayList<>();
        List<Question> questions = new ArrayList<>();
        for (JsonNode article : root.path("data")) {
            String title = article.path("title").asText();
            int n = 0;
            for (JsonNode p : article.path("paragraphs")) {
                String id = title + "-" + n++;
                paragraphs.add(new Paragraph(id, title.replace('_', ' '), p.path("context").asText()));
                for (JsonNode q : p.path("qas")) {
                    if (!q.path("is_impossible").asBoolean(false)) questions.add(new Question(q.path("question").asText(), id));
                }
            }
        }
        return new Squad(paragraphs, questions);
    }

    static long percentile(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    @Override
    public void close() {
        rag.close();
        feed.close();
        db.close();
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // temporary files only
        }
    }
}
