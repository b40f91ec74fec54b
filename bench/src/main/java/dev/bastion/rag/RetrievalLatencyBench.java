package dev.bastion.rag;


import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Retrieval latency over 100,000 chunks: the whole {@link Retriever#retrieve} path — the collections' rules and the
 * policy, the question's embedding (MiniLM), the filtered HNSW search and the filtered BM25 search (50 candidates
 * each), reciprocal rank fusion, unsealing the 5 winners and their documents' metadata from SQLite, and the audit
 * entry (to an in-memory log here). The corpus is synthetic but shaped from real text: 10,000 documents of 10 chunks,
 * each chunk 4 sentences drawn from the QA sample, its vector the normalised sum of those sentences' MiniLM vectors
 * plus noise (embedding 100,000 chunks one by one would take an hour of CPU here). Ten collections, half readable by
 * {@code finance} only; a tenth of the documents {@code confidential} with an ACL. Questions are the sample's.
 * <pre>java -cp bench/target/bastion-bench.jar dev.bastion.rag.RetrievalLatencyBench testdata [queries]</pre>
 */
public final class RetrievalLatencyBench {
    public static void main(String[] args) throws Exception {
        Path testdata = Path.of(args.length > 0 ? args[0] : "testdata");
        int queries = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        BenchRig.Squad squad = BenchRig.squad(testdata);
        List<String> sentences = new ArrayList<>();
        for (BenchRig.Paragraph p : squad.paragraphs()) {
            for (String s : p.text().split("(?<=[.!?])\\s+")) if (s.length() > 20) sentences.add(s);
        }
        try (BenchRig rig = new BenchRig(true); Embeddings enc = Embeddings.miniLm()) {
            long t0 = System.nanoTime();
            float[][] sv = new float[sentences.size()][];
            for (int i = 0; i < sv.length; i++) sv[i] = enc.embed(sentences.get(i));
            System.out.printf("%d sentences embedded in %.1f s%n", sv.length, (System.nanoTime() - t0) / 1e9);
            List<String> names = new ArrayList<>();
            for (int c = 0; c < 10; c++) {
                names.add("c" + c);
                rig.collection("c" + c, c < 5 ? List.of() : List.of("finance"));
            }
            SealedRecords records = StoreRecords.over(rig.db, rig.barrier, Clock.systemUTC());
            Random random = new Random(42);
            t0 = System.nanoTime();
            int docs = 10_000, perDoc = 10;
            Map<DocumentRecord, List<Records.StoredChunk>> batch = new LinkedHashMap<>();
            Map<String, byte[]> sealed = new LinkedHashMap<>();
            for (int d = 0; d < docs; d++) {
                String id = "d" + HexFormat.of().formatHex(longBytes(random.nextLong())) + "00000000";
                String collection = names.get(d % 10);
                boolean confidential = d % 10 == 3;
                var acl = confidential ? new DocumentRecord.DocumentAcl(List.of("finance"), List.of(), Map.of())
                        : DocumentRecord.DocumentAcl.NONE;
                List<Records.StoredChunk> chunks = new ArrayList<>();
                for (int k = 0; k < perDoc; k++) {
                    StringBuilder text = new StringBuilder();
                    float[] v = new float[384];
                    for (int s = 0; s < 4; s++) {
                        int i = random.nextInt(sentences.size());
                        text.append(sentences.get(i)).append(' ');
                        for (int j = 0; j < v.length; j++) v[j] += sv[i][j];
                    }
                    for (int j = 0; j < v.length; j++) v[j] += (float) (random.nextGaussian() * 0.02);
                    normalise(v);
                    chunks.add(new Records.StoredChunk(k, "Synthetic " + d, text.toString().strip(), 0, v));
                }
                DocumentRecord doc = new DocumentRecord(id, collection, "synthetic-" + d + ".txt", "sha256:"
                        + Ingestor.sha256(id.getBytes()), "txt", confidential ? "confidential" : "internal", acl,
                        List.of(), Map.of(), "none", 1, perDoc, true, 0, System.currentTimeMillis(), 0, "key:bench");
                for (var c : chunks) sealed.put(Records.chunk(id, c.seq()), Records.encode(c));
                sealed.put(Records.doc(collection, id), Records.json(doc));
                batch.put(doc, chunks);
                if (batch.size() == 500) {
                    records.putAll(sealed);
                    rig.rag.keeper().addAll(batch);
                    sealed.clear();
                    batch.clear();
                }
            }
            double load = (System.nanoTime() - t0) / 1e9;
            System.out.printf("loaded %d chunks (sealed in SQLite + indexed) in %.1f s; index holds %d chunks%n",
                    docs * perDoc, load, rig.rag.keeper().index().size());

            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            var developer = BenchRig.developer();
            var finance = BenchRig.developer("finance");
            for (int round = 0; round < 2; round++) {
                int n = round == 0 ? Math.min(300, queries) : queries;
                long[] wall = new long[n], cpu = new long[n];
                int found = 0;
                for (int i = 0; i < n; i++) {
                    String q = squad.questions().get(i % squad.questions().size()).text();
                    var who = i % 2 == 0 ? developer : finance;
                    long c0 = mx.getCurrentThreadCpuTime(), w0 = System.nanoTime();
                    found += rig.ask(who, q, names, 5).passages().size();
                    wall[i] = System.nanoTime() - w0;
                    cpu[i] = mx.getCurrentThreadCpuTime() - c0;
                }
                if (round == 1) {
                    Arrays.sort(wall);
                    Arrays.sort(cpu);
                    System.out.printf("%d retrievals (top 5 of 100,000 chunks, half as a developer seeing 5 of 10 "
                            + "collections): %.1f passages each%n", n, found / (double) n);
                    System.out.printf("  wall ms: p50 %.2f  p95 %.2f  p99 %.2f  max %.2f%n", ms(BenchRig.percentile(wall, .5)),
                            ms(BenchRig.percentile(wall, .95)), ms(BenchRig.percentile(wall, .99)), ms(wall[n - 1]));
                    System.out.printf("  CPU ms:  p50 %.2f  p95 %.2f  p99 %.2f%n", ms(BenchRig.percentile(cpu, .5)),
                            ms(BenchRig.percentile(cpu, .95)), ms(BenchRig.percentile(cpu, .99)));
                }
            }
            long[] embed = new long[200];
            for (int i = 0; i < embed.length; i++) {
                long w0 = System.nanoTime();
                enc.embed(squad.questions().get(i).text());
                embed[i] = System.nanoTime() - w0;
            }
            Arrays.sort(embed);
            System.out.printf("  of which embedding the question: p50 %.2f ms%n", ms(BenchRig.percentile(embed, .5)));
        }
    }

    private static double ms(long nanos) { return nanos / 1e6; }

    private static byte[] longBytes(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) b[i] = (byte) (v >>> (56 - 8 * i));
        return b;
    }

    private static void normalise(float[] v) {
        double n = 0;
        for (float x : v) n += (double) x * x;
        float inv = (float) (1 / Math.sqrt(n));
        for (int i = 0; i < v.length; i++) v[i] *= inv;
    }

    private RetrievalLatencyBench() {}
}
