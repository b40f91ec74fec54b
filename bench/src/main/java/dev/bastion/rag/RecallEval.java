package dev.bastion.rag;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Retrieval recall on the SQuAD 2.0 sample in {@code testdata/qa}: every paragraph becomes one document (its article
 * title as heading), then each answerable question retrieves; a hit at k is a chunk of the question's own paragraph
 * among the first k. Reports recall@1 and @5 for the fused retrieval and for each half alone (HNSW over MiniLM
 * embeddings; BM25 over keyed-hash terms), all under the same permission filter.
 * <pre>java -cp bench/target/bastion-bench.jar dev.bastion.rag.RecallEval testdata</pre>
 */
public final class RecallEval {
    public static void main(String[] args) throws Exception {
        Path testdata = Path.of(args.length > 0 ? args[0] : "testdata");
        BenchRig.Squad squad = BenchRig.squad(testdata);
        try (BenchRig rig = new BenchRig(true)) {
            rig.collection("squad", List.of());
            Map<String, String> docOf = new HashMap<>(); // document id → paragraph id
            long t0 = System.nanoTime();
            for (BenchRig.Paragraph p : squad.paragraphs()) {
                var d = rig.rag.ingestor().ingest(rig.rag.collections().require("squad"), new Ingestor.Upload(
                        p.id() + ".md", "md", ("# " + p.title() + "\n\n" + p.text()).getBytes(StandardCharsets.UTF_8),
                        null, DocumentRecord.DocumentAcl.NONE, List.of(), true, "key:bench"));
                docOf.put(d.document().id(), p.id());
            }
            double ingestS = (System.nanoTime() - t0) / 1e9;
            var who = BenchRig.developer();
            var filter = new ChunkIndex.Filter(List.of("squad"),
                    Retriever.labels(dev.bastion.policy.Policy.loadDefault(), "confidential"), List.of(Tokens.EVERYONE));
            int[] fused = new int[2], vector = new int[2], keyword = new int[2];
            Embeddings encoder = Embeddings.miniLm();
            for (BenchRig.Question q : squad.questions()) {
                List<String> got = new ArrayList<>();
                for (Retriever.Passage p : rig.ask(who, q.text(), List.of("squad"), 5).passages()) got.add(docOf.get(p.document()));
                score(got, q.paragraph(), fused);
                score(docs(rig.rag.keeper().index().nearest(encoder.embed(q.text()), 5, filter), docOf), q.paragraph(), vector);
                score(docs(rig.rag.keeper().index().keyword(q.text(), 5, filter), docOf), q.paragraph(), keyword);
            }
            encoder.close();
            int n = squad.questions().size();
            System.out.printf("SQuAD 2.0 dev sample: %d paragraphs, %d answerable questions; ingested with embeddings in %.1f s%n",
                    squad.paragraphs().size(), n, ingestS);
            System.out.printf("fused (RRF)   recall@1 %.3f  recall@5 %.3f%n", fused[0] / (double) n, fused[1] / (double) n);
            System.out.printf("vector only   recall@1 %.3f  recall@5 %.3f%n", vector[0] / (double) n, vector[1] / (double) n);
            System.out.printf("BM25 only     recall@1 %.3f  recall@5 %.3f%n", keyword[0] / (double) n, keyword[1] / (double) n);
        }
    }

    private static List<String> docs(List<ChunkIndex.Hit> hits, Map<String, String> docOf) {
        List<String> out = new ArrayList<>();
        for (ChunkIndex.Hit h : hits) out.add(docOf.get(Records.docOfChunk(h.chunk())));
        return out;
    }

    private static void score(List<String> ranked, String gold, int[] hits) {
        if (!ranked.isEmpty() && gold.equals(ranked.getFirst())) hits[0]++;
        if (ranked.stream().limit(5).anyMatch(gold::equals)) hits[1]++;
    }

    private RecallEval() {}
}
