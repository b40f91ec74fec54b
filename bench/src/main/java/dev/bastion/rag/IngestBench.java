package dev.bastion.rag;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Ingestion throughput in pages per CPU-second of the ingesting thread (= per core; wall time on a shared machine
 * mostly measures the neighbours). PDFs of 10 pages (about 2,500 characters each, the QA sample's paragraphs) go
 * through the whole path without embeddings — PDFBox extraction, every detector over every page, pseudonymisation,
 * chunking, sealing (AES-GCM) into SQLite, keyword indexing and a Lucene commit per document — then, separately,
 * the cost of embedding those chunks with MiniLM. Each phase is measured twice; the first round warms the JIT.
 * <pre>java -cp bench/target/bastion-bench.jar dev.bastion.rag.IngestBench testdata [documents]</pre>
 */
public final class IngestBench {
    public static void main(String[] args) throws Exception {
        Path testdata = Path.of(args.length > 0 ? args[0] : "testdata");
        int docs = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        List<String> pages = pages(BenchRig.squad(testdata));
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        List<byte[]> pdfs = new ArrayList<>();
        for (int d = 0; d < docs; d++) pdfs.add(pdf(pages, d * 10, 10));
        try (BenchRig rig = new BenchRig(false)) {
            for (int round = 0; round < 2; round++) {
                String name = "ingest-" + round;
                rig.collection(name, List.of());
                Collection c = rig.rag.collections().require(name);
                long cpu0 = mx.getCurrentThreadCpuTime(), wall0 = System.nanoTime(), proc0 = processCpu();
                int chunks = 0, n = 0;
                for (byte[] pdf : pdfs) {
                    // a new collection each round: duplicates are found per collection
                    chunks += rig.rag.ingestor().ingest(c, new Ingestor.Upload("doc-" + n++ + ".pdf", "pdf", pdf, null,
                            DocumentRecord.DocumentAcl.NONE, List.of(), false, "key:bench")).document().chunks();
                }
                double cpu = (mx.getCurrentThreadCpuTime() - cpu0) / 1e9, wall = (System.nanoTime() - wall0) / 1e9;
                double proc = (processCpu() - proc0) / 1e9;
                if (round == 1) {
                    int p = docs * 10;
                    System.out.printf("ingest without embeddings: %d pages (%d chunks) in %.2f CPU-s of the ingesting "
                            + "thread, %.2f CPU-s of the whole process (GC, Lucene merges, other threads), %.2f s wall:%n"
                            + "  %.1f pages per CPU-second (thread), %.1f (process), %.1f per wall-second%n",
                            p, chunks, cpu, proc, wall, p / cpu, p / proc, p / wall);
                }
            }
            // the parts, same pages: extraction alone and inspection alone
            long cpu0 = mx.getCurrentThreadCpuTime();
            for (byte[] pdf : pdfs) TextExtractor.extract("pdf", pdf);
            double extract = (mx.getCurrentThreadCpuTime() - cpu0) / 1e9;
            var inspector = dev.bastion.inspect.Inspector.standard();
            cpu0 = mx.getCurrentThreadCpuTime();
            for (String page : pages.subList(0, Math.min(pages.size(), docs * 10))) inspector.inspect(page);
            double inspect = (mx.getCurrentThreadCpuTime() - cpu0) / 1e9;
            System.out.printf("  of which PDF extraction %.1f ms/page, inspection %.1f ms/page (CPU)%n",
                    extract * 1000 / (docs * 10), inspect * 1000 / (docs * 10));
        }
        try (Embeddings enc = Embeddings.miniLm()) {
            var chunker = new Chunker(800, 120);
            List<String> texts = new ArrayList<>();
            for (String p : pages.subList(0, 100)) {
                for (var c : chunker.chunks(List.of(new TextExtractor.Section("Title", p, 1)))) texts.add(c.indexed());
            }
            for (int round = 0; round < 2; round++) {
                long cpu0 = mx.getCurrentThreadCpuTime();
                for (String t : texts) enc.embed(t);
                double cpu = (mx.getCurrentThreadCpuTime() - cpu0) / 1e9;
                if (round == 1) {
                    System.out.printf("embedding (MiniLM, ≤256 tokens): %d chunks in %.2f CPU-s: %.1f chunks per "
                            + "CPU-second, %.1f ms per chunk%n", texts.size(), cpu, texts.size() / cpu, cpu * 1000 / texts.size());
                }
            }
        }
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Page texts of about 2,500 characters built from the QA sample's paragraphs, in order, reused cyclically. */
    static List<String> pages(BenchRig.Squad squad) {
        List<String> out = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        for (int round = 0; out.size() < 2_000; round++) {
            for (BenchRig.Paragraph p : squad.paragraphs()) {
                b.append(p.text()).append("\n\n");
                if (b.length() >= 2_500) {
                    out.add(b.toString().strip());
                    b.setLength(0);
                }
            }
            if (round > 50) break;
        }
        return out;
    }

    static byte[] pdf(List<String> pages, int from, int count) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            for (int i = 0; i < count; i++) {
                PDPage page = new PDPage();
                doc.addPage(page);
                try (PDPageContentStream s = new PDPageContentStream(doc, page)) {
                    s.beginText();
                    s.setFont(font, 8);
                    s.setLeading(10);
                    s.newLineAtOffset(30, 760);
                    for (String line : wrap(pages.get((from + i) % pages.size()), 130)) {
                        s.showText(line);
                        s.newLine();
                    }
                    s.endText();
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        }
    }

    /** Lines of at most {@code width} characters, Latin-1 only (what the standard Helvetica encodes). */
    private static List<String> wrap(String text, int width) {
        List<String> out = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String w : text.replace('\n', ' ').split(" ")) {
            String word = w.chars().allMatch(c -> c >= 0x20 && c < 0x7f) ? w : w.replaceAll("[^\\x20-\\x7e]", "?");
            if (line.length() + word.length() + 1 > width) {
                out.add(line.toString());
                line.setLength(0);
            }
            if (!line.isEmpty()) line.append(' ');
            line.append(word);
        }
        if (!line.isEmpty()) out.add(line.toString());
        return out;
    }

    private IngestBench() {}
}
