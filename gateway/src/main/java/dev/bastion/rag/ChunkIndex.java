package dev.bastion.rag;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.QueryBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The local search index over every chunk: an HNSW graph of embeddings (dot product of unit vectors) and BM25
 * postings of keyed-hash terms ({@link KeyedTerms}), with the fields permission filters need (collection,
 * classification label, keyed ACL tokens). It holds no document text and can be rebuilt at any time from the sealed
 * records, which stay the truth. Searches take a filter that Lucene applies inside the HNSW walk and the postings
 * iteration — what a caller may not read is never a candidate.
 */
final class ChunkIndex implements AutoCloseable {
    static final String CHUNK = "chunk";
    static final String DOC = "doc";
    static final String COLLECTION = "collection";
    static final String CLASS = "class";
    static final String ACL = "acl";
    static final String TEXT = "text";
    static final String VECTOR = "vec";

    /**
     * Keyword postings without positions: BM25 needs term frequencies and lengths, and leaving positions out keeps
     * the order of the (hashed) words out of the index — it holds a bag of opaque terms per chunk, not a transcript.
     */
    private static final org.apache.lucene.document.FieldType BAG_OF_TERMS;
    static {
        var t = new org.apache.lucene.document.FieldType();
        t.setTokenized(true);
        t.setStored(false);
        t.setIndexOptions(org.apache.lucene.index.IndexOptions.DOCS_AND_FREQS);
        t.freeze();
        BAG_OF_TERMS = t;
    }

    /** One search hit: the chunk's record path and its score in that half of the search. */
    record Hit(String chunk, float score) {}

    /** What the permission filter admits: collections, classification labels and ACL tokens (all required). */
    record Filter(Collection<String> collections, Collection<String> labels, Collection<String> aclTokens) {
        Query query() {
            return new BooleanQuery.Builder()
                    .add(terms(COLLECTION, collections), BooleanClause.Occur.FILTER)
                    .add(terms(CLASS, labels), BooleanClause.Occur.FILTER)
                    .add(terms(ACL, aclTokens), BooleanClause.Occur.FILTER)
                    .build();
        }

        boolean admitsNothing() { return collections.isEmpty() || labels.isEmpty() || aclTokens.isEmpty(); }

        private static Query terms(String field, Collection<String> values) {
            List<BytesRef> refs = new ArrayList<>(values.size());
            for (String v : values) refs.add(new BytesRef(v));
            return new TermInSetQuery(field, refs);
        }
    }

    /** One chunk as indexed; {@code vector} null when the document was added without embeddings. */
    record Entry(String chunk, String doc, String collection, String label, Collection<String> aclTokens,
                 String indexedText, float[] vector) {}

    private final Directory dir;
    private final Analyzer analyzer;
    private final IndexWriter writer;
    private final SearcherManager searchers;

    private ChunkIndex(Directory dir, Analyzer analyzer) throws IOException {
        this.dir = dir;
        this.analyzer = analyzer;
        IndexWriterConfig cfg = new IndexWriterConfig(analyzer);
        TieredMergePolicy merges = new TieredMergePolicy();
        merges.setForceMergeDeletesPctAllowed(0); // expunge rewrites every segment holding a deleted chunk
        cfg.setMergePolicy(merges);
        cfg.setRAMBufferSizeMB(64);
        this.writer = new IndexWriter(dir, cfg);
        this.searchers = new SearcherManager(writer, null);
    }

    static ChunkIndex open(Path directory, Analyzer analyzer) {
        try {
            return new ChunkIndex(PrivateIndexDirectory.open(directory), analyzer);
        } catch (IOException e) {
            throw new UncheckedIOException("retrieval index cannot be opened", e);
        }
    }

    /** Adds (or replaces) a document's chunks; visible to searches once {@link #commit} returns. */
    void put(String doc, List<Entry> entries) throws IOException {
        List<Document> docs = new ArrayList<>(entries.size());
        for (Entry e : entries) docs.add(document(e));
        writer.updateDocuments(new Term(DOC, doc), docs);
    }

    void delete(Collection<String> docs) throws IOException {
        Term[] terms = docs.stream().map(d -> new Term(DOC, d)).toArray(Term[]::new);
        if (terms.length > 0) writer.deleteDocuments(terms);
    }

    /** Makes changes durable and visible. */
    void commit() throws IOException {
        writer.commit();
        searchers.maybeRefreshBlocking();
    }

    /** Rewrites every segment that still holds deleted chunks, so their vectors and terms leave the disk. */
    void expungeDeletes() throws IOException {
        writer.forceMergeDeletes(true);
        commit();
    }

    /** Nearest chunks to {@code vector} among those the filter admits (filtered inside the graph search). */
    List<Hit> nearest(float[] vector, int k, Filter filter) throws IOException {
        if (filter.admitsNothing()) return List.of();
        return search(new KnnFloatVectorQuery(VECTOR, vector, k, filter.query()), k);
    }

    /** BM25 over the question's keyed-hash terms among the chunks the filter admits. */
    List<Hit> keyword(String question, int k, Filter filter) throws IOException {
        if (filter.admitsNothing()) return List.of();
        Query terms = new QueryBuilder(analyzer).createBooleanQuery(TEXT, question);
        if (terms == null) return List.of();
        Query q = new BooleanQuery.Builder().add(terms, BooleanClause.Occur.MUST)
                .add(filter.query(), BooleanClause.Occur.FILTER).build();
        return search(q, k);
    }

    private List<Hit> search(Query q, int k) throws IOException {
        IndexSearcher s = searchers.acquire();
        try {
            TopDocs top = s.search(q, k);
            List<Hit> out = new ArrayList<>(top.scoreDocs.length);
            var stored = s.storedFields();
            for (ScoreDoc sd : top.scoreDocs) out.add(new Hit(stored.document(sd.doc).get(CHUNK), sd.score));
            return out;
        } finally {
            searchers.release(s);
        }
    }

    /** Ids of every document with chunks in the index. */
    Set<String> documents() throws IOException {
        Set<String> out = new HashSet<>();
        IndexSearcher s = searchers.acquire();
        try {
            for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
                Terms terms = leaf.reader().terms(DOC);
                if (terms == null) continue;
                TermsEnum te = terms.iterator();
                var live = leaf.reader().getLiveDocs();
                for (BytesRef t = te.next(); t != null; t = te.next()) {
                    var postings = te.postings(null, 0);
                    for (int d = postings.nextDoc(); d != org.apache.lucene.search.DocIdSetIterator.NO_MORE_DOCS;
                         d = postings.nextDoc()) {
                        if (live == null || live.get(d)) {
                            out.add(t.utf8ToString());
                            break;
                        }
                    }
                }
            }
        } finally {
            searchers.release(s);
        }
        return out;
    }

    /** Chunks in the index (live ones). */
    int size() throws IOException {
        IndexSearcher s = searchers.acquire();
        try {
            return s.getIndexReader().numDocs();
        } finally {
            searchers.release(s);
        }
    }

    /** For tests: a reader of the last commit (counts deleted chunks not yet expunged). */
    DirectoryReader openReader() throws IOException { return DirectoryReader.open(dir); }

    private static Document document(Entry e) {
        Document d = new Document();
        d.add(new StringField(CHUNK, e.chunk(), Field.Store.YES));
        d.add(new StringField(DOC, e.doc(), Field.Store.NO));
        d.add(new StringField(COLLECTION, e.collection(), Field.Store.NO));
        d.add(new StringField(CLASS, e.label(), Field.Store.NO));
        for (String t : e.aclTokens()) d.add(new StringField(ACL, t, Field.Store.NO));
        d.add(new Field(TEXT, e.indexedText(), BAG_OF_TERMS));
        if (e.vector() != null) d.add(new KnnFloatVectorField(VECTOR, e.vector(), VectorSimilarityFunction.DOT_PRODUCT));
        return d;
    }

    @Override
    public void close() {
        try {
            searchers.close();
            writer.close();
            dir.close();
        } catch (IOException e) {
            throw new UncheckedIOException("retrieval index close", e);
        }
    }
}
