package dev.bastion.config;

/**
 * Private retrieval (the {@code rag} section; docs/rag.md).
 *
 * @param enabled          collections, ingestion and retrieval are on (the index opens at start)
 * @param embeddings       {@code builtin}: all-MiniLM-L6-v2 in process; {@code none}: keyword (BM25) search only
 * @param embeddingsAlias  a model alias under which /v1/embeddings serves the built-in encoder ("" for none); it
 *                         routes like any model, so it needs an approved registry entry
 * @param chunkSize        characters per chunk at most
 * @param chunkOverlap     characters of a chunk repeated at the start of the next
 * @param topK             passages retrieved for a model request that does not say
 * @param maxDocumentBytes largest upload accepted
 */
public record RagSettings(boolean enabled, Embeddings embeddings, String embeddingsAlias, int chunkSize,
                          int chunkOverlap, int topK, long maxDocumentBytes) {

    public enum Embeddings { BUILTIN, NONE }

    public static final RagSettings DEFAULTS = new RagSettings(true, Embeddings.BUILTIN, "", 800, 120, 4, 32L << 20);

    static RagSettings read(ConfigReader r) {
        RagSettings d = DEFAULTS;
        boolean enabled = r.bool("enabled", d.enabled());
        Embeddings embeddings = r.choice("embeddings", Embeddings.class, d.embeddings());
        String alias = r.string("embeddings-alias", d.embeddingsAlias()).trim();
        int size = r.integer("chunk-size", d.chunkSize(), 200, 8_000);
        int overlap = r.integer("chunk-overlap", d.chunkOverlap(), 0, 4_000);
        if (overlap >= size / 2) r.problem("chunk-overlap", "must be less than half of chunk-size");
        int topK = r.integer("top-k", d.topK(), 1, 20);
        long max = r.size("max-document-size", d.maxDocumentBytes(), 1024, 256L << 20);
        if (!alias.isEmpty() && embeddings == Embeddings.NONE) r.problem("embeddings-alias", "needs embeddings: builtin");
        return new RagSettings(enabled, embeddings, alias, size, overlap, topK, max);
    }
}
