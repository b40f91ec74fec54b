package dev.bastion.rag;

import dev.bastion.audit.RetrievalEntry;
import dev.bastion.barrier.Barrier;
import dev.bastion.barrier.InsecureFileKeyProvider;
import dev.bastion.config.RagSettings;
import dev.bastion.encoder.OnnxSentenceEncoder;
import dev.bastion.encoder.SentenceEncoder;
import dev.bastion.identity.Principal;
import dev.bastion.inspect.Inspector;
import dev.bastion.policy.Policy;
import dev.bastion.policy.PolicyHolder;
import dev.bastion.policy.RequestFacts;
import dev.bastion.store.ChangeFeed;
import dev.bastion.store.StoreConfig;
import dev.bastion.testing.TestFiles;
import dev.bastion.testing.TestStores;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Retrieval over a real store (SQLite or PostgreSQL), a real barrier, a real change feed, the real MiniLM encoder and
 * Bastion's standard detectors, in one process; the index lives in a temporary data directory.
 */
final class RagFixture implements AutoCloseable {
    /** One encoder and one inspector for every test in the JVM (each loads an ONNX model). */
    private static SentenceEncoder sharedEncoder;
    private static Inspector sharedInspector;

    final TestStores.Handle store;
    final Barrier barrier;
    final ChangeFeed feed;
    final Path dataDir;
    final PolicyHolder policies = PolicyHolder.of(withBusinessRoles());
    final List<RetrievalEntry> audit = new CopyOnWriteArrayList<>();
    final RagSettings settings;
    /** Retrieval's clock (retention); starts at the real time, moves only when a test moves it. */
    final dev.bastion.testing.ManualClock clock = new dev.bastion.testing.ManualClock(Instant.now());
    Rag rag;
    private long auditIndex;

    private RagFixture(TestStores.Handle store, RagSettings settings) throws Exception {
        this.store = store;
        this.settings = settings;
        this.dataDir = Files.createTempDirectory("bastion-rag");
        this.barrier = Barrier.over(store.db());
        barrier.initialize(new InsecureFileKeyProvider(dataDir.resolve("root.key")));
        this.feed = ChangeFeed.start(store.db(), ChangeFeed.Settings.defaults());
        start();
    }

    static RagFixture open(StoreConfig.Kind kind) throws Exception {
        return open(kind, RagSettings.DEFAULTS);
    }

    static RagFixture open(StoreConfig.Kind kind, RagSettings settings) throws Exception {
        return new RagFixture(TestStores.open(kind), settings);
    }

    /** Starts retrieval over the same store and data directory (again, after {@link #stop}). */
    void start() {
        var secrets = new dev.bastion.barrier.ServerSecrets(dev.bastion.barrier.SecretStore.over(store.db(), barrier),
                new SecureRandom());
        rag = Rag.start(settings, dataDir, store.db(), barrier, secrets.source("rag/term-key", 32),
                secrets.source("rag/token-key", 32), inspector(), policies, feed, e -> {
                    audit.add(e);
                    return auditIndex++;
                }, clock, settings.embeddings() == RagSettings.Embeddings.NONE ? null : encoder());
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(rag::ready);
    }

    void stop() { rag.close(); }

    static synchronized Embeddings encoder() {
        if (sharedEncoder == null) sharedEncoder = OnnxSentenceEncoder.miniLm(256);
        SentenceEncoder shared = sharedEncoder;
        return new Embeddings(() -> new SentenceEncoder() {
            @Override
            public float[] embed(String text) { return shared.embed(text); }

            @Override
            public int dimension() { return shared.dimension(); }

            @Override
            public void close() { }
        });
    }

    static synchronized Inspector inspector() {
        if (sharedInspector == null) sharedInspector = Inspector.standard();
        return sharedInspector;
    }

    Collection collection(String name, String classification, Collection.AccessRule access,
                          Collection.PersonalData personalData) {
        return rag.collections().create(new Collection(name, "key:owner", classification, access, personalData, 0,
                System.currentTimeMillis(), "key:admin"));
    }

    Collection openCollection(String name) {
        return collection(name, "internal", new Collection.AccessRule(List.of(), null, ""),
                Collection.PersonalData.STORE);
    }

    DocumentRecord add(String collection, String source, String text) {
        return add(collection, source, text.getBytes(StandardCharsets.UTF_8), null, DocumentRecord.DocumentAcl.NONE,
                List.of());
    }

    DocumentRecord add(String collection, String source, byte[] bytes, String classification,
                       DocumentRecord.DocumentAcl acl, List<String> subjects) {
        return rag.ingestor().ingest(rag.collections().require(collection), new Ingestor.Upload(source, null, bytes,
                classification, acl, subjects, true, "key:admin")).document();
    }

    Retriever.Result ask(Principal who, String purpose, String question, List<String> collections, int k,
                         String maxClassification) {
        RequestFacts facts = new RequestFacts(purpose, List.of(), "", "127.0.0.1", Instant.now(), Map.of());
        return rag.retriever().retrieve(new Retriever.Query(who, facts, collections, question, k, maxClassification,
                null, "req-" + System.nanoTime(), "127.0.0.1"));
    }

    /** The shipped policy with two more declared roles, {@code finance} and {@code hr}, that the tests' rules name. */
    static Policy withBusinessRoles() {
        try (var in = Policy.class.getResourceAsStream(Policy.DEFAULT_RESOURCE)) {
            String shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return Policy.parse("default+finance", shipped.replace("\nroles: [", "\nroles: [finance, hr, "));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Principal person(String id, String... roles) {
        return new Principal(id, Principal.Type.USER, Set.of(roles), Map.of(), Principal.AuthMethod.API_KEY, Set.of());
    }

    static Principal person(String id, Map<String, Object> attributes, String... roles) {
        return new Principal(id, Principal.Type.USER, Set.of(roles), attributes, Principal.AuthMethod.API_KEY, Set.of());
    }

    @Override
    public void close() {
        try {
            rag.close();
        } finally {
            feed.close();
            store.close();
            TestFiles.deleteTree(dataDir);
        }
    }
}
