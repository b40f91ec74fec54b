package dev.bastion.rag;

import dev.bastion.api.AdminRoutes;
import dev.bastion.audit.AuditUnavailableException;
import dev.bastion.audit.RetrievalEntry;
import dev.bastion.backend.ModelBackend;
import dev.bastion.barrier.Barrier;
import dev.bastion.barrier.BlindIndex;
import dev.bastion.common.Secret;
import dev.bastion.config.BackendSettings;
import dev.bastion.config.ModelSettings;
import dev.bastion.config.RagSettings;
import dev.bastion.config.UpstreamTlsSettings;
import dev.bastion.inspect.Inspector;
import dev.bastion.pipeline.Stage;
import dev.bastion.policy.PolicyHolder;
import dev.bastion.route.ModelCatalog;
import dev.bastion.store.ChangeFeed;
import dev.bastion.store.Database;

import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Private retrieval, assembled: collections and documents (sealed records), ingestion, the local index, retrieval
 * under policy, its API, the chat stage and the built-in embeddings model. {@code Wiring} builds one and hands the
 * other capabilities what they need from it (see docs/rag.md).
 */
public final class Rag implements AutoCloseable {
    /** Change-feed topic: a collection or document changed somewhere; replicas reconcile their index. */
    public static final String TOPIC = "rag";
    /** The backend name of the built-in encoder. */
    public static final String BUILTIN_BACKEND = "builtin:embeddings";

    /** Where retrieval audit entries are appended (durably: a failure refuses the retrieval). */
    public interface AuditLog {
        long append(RetrievalEntry entry) throws AuditUnavailableException;
    }

    /** The built-in encoder as a routable model (only when {@code rag.embeddings-alias} is set). */
    public record BuiltIn(BackendSettings settings, ModelSettings model, ModelBackend backend, String sha256, long size) {}

    private final RagSettings settings;
    private final Embeddings embeddings;
    private final IndexKeeper keeper;
    private final Collections collections;
    private final Documents documents;
    private final Retriever retriever;
    private final RagApi api;
    private final Ingestor ingestor;
    private final PolicyHolder policies;
    private final ChangeFeed feed;

    private Rag(RagSettings settings, Embeddings embeddings, IndexKeeper keeper, Collections collections,
                Documents documents, Retriever retriever, RagApi api, Ingestor ingestor, PolicyHolder policies,
                ChangeFeed feed) {
        this.ingestor = ingestor;
        this.settings = settings;
        this.embeddings = embeddings;
        this.keeper = keeper;
        this.collections = collections;
        this.documents = documents;
        this.retriever = retriever;
        this.api = api;
        this.policies = policies;
        this.feed = feed;
    }

    /**
     * @param termKey  32-byte secret for the keyed terms of the keyword index (behind the barrier)
     * @param tokenKey 32-byte secret for ACL and subject tokens (behind the barrier)
     */
    public static Rag start(RagSettings settings, Path dataDir, Database db, Barrier barrier, Supplier<byte[]> termKey,
                            Supplier<byte[]> tokenKey, Inspector inspector, PolicyHolder policies, ChangeFeed feed,
                            AuditLog audit, Clock clock) {
        return start(settings, dataDir, db, barrier, termKey, tokenKey, inspector, policies, feed, audit, clock,
                settings.embeddings() == RagSettings.Embeddings.BUILTIN ? Embeddings.miniLm() : null);
    }

    static Rag start(RagSettings settings, Path dataDir, Database db, Barrier barrier, Supplier<byte[]> termKey,
                     Supplier<byte[]> tokenKey, Inspector inspector, PolicyHolder policies, ChangeFeed feed,
                     AuditLog audit, Clock clock, Embeddings embeddings) {
        SealedRecords records = StoreRecords.over(db, barrier, clock);
        Tokens tokens = new Tokens(new BlindIndex(tokenKey));
        IndexKeeper keeper = new IndexKeeper(dataDir.resolve("rag").resolve("index"), new KeyedTerms(termKey), records,
                tokens);
        CollectionAccess access = new CollectionAccess(policies);
        Collections collections = new Collections(records, policies, access);
        Documents documents = new Documents(records, collections, keeper, tokens, clock);
        Ingestor ingestor = new Ingestor(inspector, new Chunker(settings.chunkSize(), settings.chunkOverlap()),
                embeddings, tokens, records, keeper, policies, clock, new SecureRandom());
        Retriever retriever = new Retriever(collections, access, keeper, records, tokens, embeddings, policies,
                audit::append, clock);
        Runnable changed = () -> feed.publish(TOPIC);
        RagApi api = new RagApi(collections, documents, ingestor, retriever, changed, settings.maxDocumentBytes(),
                embeddings != null, clock);
        Rag rag = new Rag(settings, embeddings, keeper, collections, documents, retriever, api, ingestor, policies,
                feed);
        feed.subscribe(TOPIC, v -> {
            collections.forget();
            keeper.reconcileLater();
        });
        if (settings.enabled()) keeper.start();
        return rag;
    }

    public void register(AdminRoutes routes) {
        if (settings.enabled()) api.register(routes);
    }

    /** The stage that adds retrieved passages to chat requests that ask for them (after route, before inspect). */
    public Stage stage(ModelCatalog catalog) {
        Stage inner = new RetrieveStage(retriever, catalog, policies, settings.topK());
        return new Stage() {
            @Override
            public String name() { return inner.name(); }

            @Override
            public dev.bastion.pipeline.Outcome onRequest(dev.bastion.pipeline.Exchange exchange) {
                if (!settings.enabled()) {
                    return exchange.get(dev.bastion.pipeline.ModelRequest.class) != null && asksRetrieval(exchange)
                            ? dev.bastion.pipeline.Outcome.deny(dev.bastion.pipeline.ErrorCode.INVALID_FIELD,
                                    "retrieval is turned off on this server (rag.enabled: false)")
                            : dev.bastion.pipeline.Outcome.proceed();
                }
                // a replica that cannot vouch for having seen every collection change does not retrieve
                if (!feed.isFresh() && exchange.get(dev.bastion.pipeline.ModelRequest.class) != null
                        && asksRetrieval(exchange)) {
                    return dev.bastion.pipeline.Outcome.deny(dev.bastion.pipeline.ErrorCode.RETRIEVAL_UNAVAILABLE,
                            "this replica is not in step with collection changes");
                }
                return inner.onRequest(exchange);
            }
        };
    }

    private static boolean asksRetrieval(dev.bastion.pipeline.Exchange exchange) {
        var json = exchange.get(dev.bastion.pipeline.ModelRequest.class).json();
        return json.has("bastion") || json.path("tools").toString().contains("file_search");
    }

    /** Subject erasure reaches retrieval: deletes every document declared to concern the subject; returns how many. */
    public int eraseSubject(String subjectId) {
        if (!settings.enabled()) return 0;
        int n = documents.eraseSubject(subjectId);
        if (n > 0) feed.publish(TOPIC);
        return n;
    }

    /** Retention and index upkeep, run periodically: expired documents deleted, the index reconciled. */
    public int maintain() {
        if (!settings.enabled()) return 0;
        int n = documents.purgeExpired();
        if (n > 0) feed.publish(TOPIC);
        keeper.reconcileLater();
        return n;
    }

    /** Whether this replica's index is open and built. */
    public boolean ready() { return keeper.ready(); }

    /** The built-in encoder as a backend and alias, or null when {@code rag.embeddings-alias} is empty. */
    public BuiltIn builtIn() {
        if (settings.embeddingsAlias().isEmpty() || embeddings == null) return null;
        String sha = Embeddings.miniLmSha256();
        Map<String, String> attributes = Map.of("region", "local", "max_classification", "restricted",
                "engine", "builtin", "model_sha256", sha);
        BackendSettings b = new BackendSettings(BUILTIN_BACKEND, BackendSettings.Type.OPENAI,
                URI.create("http://localhost/builtin"), Secret.NONE, Duration.ofSeconds(1), Duration.ofMinutes(1), 64,
                attributes, UpstreamTlsSettings.DEFAULT);
        ModelSettings m = new ModelSettings(settings.embeddingsAlias(), BUILTIN_BACKEND, Embeddings.MINILM_NAME,
                Map.of("engine", "builtin", "kind", "embedding"));
        return new BuiltIn(b, m, new BuiltinEmbeddingBackend(BUILTIN_BACKEND, embeddings), sha, modelSize());
    }

    private static long modelSize() {
        try (var in = Rag.class.getResourceAsStream(Embeddings.MINILM_RESOURCE)) {
            return in == null ? 0 : in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    // for tests and benchmarks in this package
    Collections collections() { return collections; }

    Documents documents() { return documents; }

    Ingestor ingestor() { return ingestor; }

    Retriever retriever() { return retriever; }

    IndexKeeper keeper() { return keeper; }

    @Override
    public void close() {
        keeper.close();
        if (embeddings != null) embeddings.close();
    }
}
