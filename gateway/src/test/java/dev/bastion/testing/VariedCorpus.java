package dev.bastion.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A varied inspection corpus built from the repository's own files, for speed benchmarks and for equivalence tests of
 * inspection shortcuts: thousands of different texts, never one text repeated. Kinds: 2 KiB prompts dense with personal
 * data (presidio samples strung together), prose (docs chunks), code (Java sources), chat transcripts, prompts in
 * several languages (xquad), task prompts (gsm8k, mbpp, self-instruct…) and injection attempts. Deterministic: the
 * same files give the same texts in the same order.
 */
public final class VariedCorpus {
    /** One text and its kind ("pii2k", "prose", "code", "chat", "multilingual", "task", "injection"). */
    public record Sample(String kind, String text) {}

    private VariedCorpus() {}

    /** Finds the repository root (the directory holding {@code testdata/}) from the working directory upwards. */
    public static Path repoRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("testdata/pii")) && Files.isDirectory(p.resolve("docs"))) return p;
        }
        throw new IllegalStateException("no repository root (with testdata/ and docs/) above the working directory");
    }

    public static List<Sample> load() { return load(repoRoot()); }

    public static List<Sample> load(Path root) {
        try {
            List<Sample> out = new ArrayList<>();
            Random random = new Random(20);
            ObjectMapper json = new ObjectMapper();
            List<String> pii = new ArrayList<>();
            for (JsonNode s : json.readTree(root.resolve("testdata/pii/presidio_synth_dataset_v2.json").toFile())) {
                pii.add(s.get("full_text").asText());
            }
            for (int i = 0; i < 2000; i++) out.add(new Sample("pii2k", stringUp(pii, random, 2048, i % 3 == 0 ? "\n" : " ")));
            List<String> english = new ArrayList<>();
            for (String line : lines(root.resolve("testdata/benign/benign_prompts.jsonl"))) {
                JsonNode n = json.readTree(line);
                String lang = n.path("lang").asText();
                String text = n.get("text").asText();
                boolean foreign = !lang.equals("en") && !lang.equals("code");
                out.add(new Sample(foreign ? "multilingual" : "task", text));
                if (!foreign) english.add(text);
            }
            for (String line : lines(root.resolve("testdata/benign/hard_benign.jsonl"))) {
                out.add(new Sample("task", json.readTree(line).get("text").asText()));
            }
            List<String> emails = new ArrayList<>();
            for (String line : lines(root.resolve("testdata/injection/bipia/email_train.jsonl"))) {
                emails.add(json.readTree(line).path("context").asText());
            }
            for (int i = 0; i < 600; i++) out.add(new Sample("chat", transcript(english, emails, pii, random)));
            for (String file : List.of("testdata/injection/deepset/prompt_injections_train.jsonl",
                    "testdata/injection/deepset/prompt_injections_test.jsonl")) {
                for (String line : lines(root.resolve(file))) {
                    JsonNode n = json.readTree(line);
                    out.add(new Sample("injection", n.has("text") ? n.get("text").asText() : n.toString()));
                }
            }
            try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
                List<Path> md = new ArrayList<>(docs.filter(p -> p.toString().endsWith(".md")).sorted().toList());
                md.add(root.resolve("ARCHITECTURE.md"));
                md.add(root.resolve("README.md"));
                for (Path p : md) chunk(Files.readString(p), random, "prose", out);
            }
            try (Stream<Path> code = Files.walk(root.resolve("gateway/src/main/java"))) {
                for (Path p : code.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                    out.add(new Sample("code", Files.readString(p)));
                }
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> lines(Path p) throws IOException {
        return Files.readAllLines(p).stream().filter(l -> !l.isBlank()).toList();
    }

    /** Random samples joined until {@code size} chars, cut at the last separator before it. */
    private static String stringUp(List<String> parts, Random random, int size, String sep) {
        StringBuilder b = new StringBuilder(size + 256);
        while (b.length() < size) b.append(parts.get(random.nextInt(parts.size()))).append(sep);
        int cut = b.lastIndexOf(sep, size);
        return b.substring(0, cut > size / 2 ? cut : size);
    }

    private static String transcript(List<String> prompts, List<String> emails, List<String> pii, Random random) {
        StringBuilder b = new StringBuilder();
        int turns = 2 + random.nextInt(8);
        for (int t = 0; t < turns; t++) {
            b.append("user: ").append(prompts.get(random.nextInt(prompts.size())));
            if (random.nextInt(4) == 0) b.append("\nHere is the context: ").append(pii.get(random.nextInt(pii.size())));
            b.append("\nassistant: ");
            b.append(random.nextBoolean() ? emails.get(random.nextInt(emails.size()))
                    : prompts.get(random.nextInt(prompts.size())));
            b.append('\n');
        }
        return b.toString();
    }

    /** Splits a document into pieces of 1–16 KiB (at line ends), so sizes vary as real prompts do. */
    private static void chunk(String doc, Random random, String kind, List<Sample> out) {
        int at = 0;
        while (at < doc.length()) {
            int want = 1024 << random.nextInt(5);
            int end = Math.min(doc.length(), at + want);
            int nl = doc.indexOf('\n', end);
            end = nl < 0 || nl - end > 400 ? end : nl + 1;
            out.add(new Sample(kind, doc.substring(at, end)));
            at = end;
        }
    }
}
