import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.inspect.*;
import java.io.*;
import java.nio.file.*;
import java.time.Duration;
import java.util.*;
import java.util.stream.*;

/**
 * Dumps every finding (type, start, end, score) of the standard inspector, and of the rules-only recognizer for the
 * PII and fuzz texts, over the PII sets given, every string of testdata/injection, four 64 KiB bench texts and
 * 20,000 seeded fuzz strings: a byte-exact oracle for speed work that must not change results. Run from the repo
 * root against two builds and compare the outputs with cmp:
 * <pre>java -cp bench/target/bastion-bench.jar bench/scripts/InspectFindingsDump.java OUT testdata/pii/presidio_synth_dataset_v2.json /tmp/pii_dev.json …</pre>
 */
public class InspectFindingsDump {
    static final ObjectMapper M = new ObjectMapper();

    public static void main(String[] a) throws Exception {
        Path out = Path.of(a[0]);
        List<String> texts = new ArrayList<>();
        for (String f : Arrays.asList(a).subList(1, a.length))
            for (JsonNode n : M.readTree(new File(f))) texts.add(n.get("full_text").asText());
        int pii = texts.size();
        try (Stream<Path> s = Files.walk(Path.of("testdata/injection"))) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                String name = p.toString();
                if (name.endsWith(".jsonl")) {
                    for (String line : Files.readAllLines(p)) if (!line.isBlank()) strings(M.readTree(line), texts);
                } else if (name.endsWith(".json")) {
                    strings(M.readTree(p.toFile()), texts);
                } else if (name.endsWith("prompts.txt")) {
                    texts.addAll(Files.readAllLines(p));
                }
            }
        }
        for (int seed = 1; seed <= 4; seed++) texts.add(dev.bastion.bench.inspect.InspectBench.promptLike(65536, seed));
        texts.add(dev.bastion.bench.inspect.InspectBench.promptLike(2048, 42));
        Random r = new Random(12345);
        for (int i = 0; i < 20000; i++) texts.add(fuzz(r, 1 + r.nextInt(i % 10 == 0 ? 2000 : 200)));
        Inspector full = Inspector.builder().budget(Duration.ofSeconds(60), Duration.ZERO).build();
        Inspector rules = Inspector.builder().recognizer(GazetteerEntityRecognizer.rulesOnly()).injection(false)
                .budget(Duration.ofSeconds(60), Duration.ZERO).build();
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out))) {
            for (int i = 0; i < texts.size(); i++) {
                w.print(i);
                w.print(' ');
                w.println(show(full.inspect(texts.get(i))));
                if (i < pii || i >= texts.size() - 20000) {
                    w.print(i);
                    w.print(" R ");
                    w.println(show(rules.inspect(texts.get(i))));
                }
            }
        }
        System.out.println(texts.size() + " texts");
    }

    static String show(Inspection in) {
        return switch (in) {
            case Inspection.Found f -> f.findings().stream()
                    .map(x -> x.type() + ":" + x.start() + "-" + x.end() + ":" + x.score())
                    .collect(Collectors.joining(" "));
            case Inspection.Failed f -> "FAILED " + f.detector() + " " + f.reason();
        };
    }

    static void strings(JsonNode n, List<String> out) {
        if (n.isTextual()) { if (n.asText().length() > 3) out.add(n.asText()); }
        else for (JsonNode c : n) strings(c, out);
    }

    static final String[] FRAG = {
        " ", " ", " ", " ", "\n", "\t", ", ", ". ", ": ", "; ", "-", "/", ".", ":", "@", "=", "'", "\"", "(", ")", "+", "#", "_",
        "the", "and", "born", "on", "age", "aged", "years old", "yrs", "DOB", "date of birth", "January", "jan", "Feb.", "MARCH",
        "Mai", "sept", "December", "may", "Monday", "1st", "2nd", "23rd", "4th",
        "John", "Smith", "Mr.", "Dr", "Paris", "London", "Acme Inc", "LLC", "Street", "St.", "Ave", "Apt", "Suite", "Main",
        "New York", "CA", "90210", "Springfield", "Company", "University of", "Hospital", "Bank",
        "SSN", "ssn:", "card", "Visa", "IBAN", "GB82 WEST 1234 5698 7654 32", "DE89370400440532013000", "4111 1111 1111 1111",
        "4111-1111-1111-1111", "378282246310005", "123-45-6789", "078-05-1120", "+1 650-253-0000", "(650) 253-0000", "+44 20 7946 0958",
        "phone", "tel", "fax", "call", "MRN", "mrn:", "member id", "policy", "passport", "license", "DL", "VIN", "1HGCM82633A004352",
        "account", "acct #", "serial", "device",
        "192.168.1.1", "10.0.0.256", "::1", "2001:db8::ff00:42:8329", "fe80::1%eth0", "1.2.3", "255.255.255.255",
        "http://", "https://example.com/path?q=1", "www.foo.org", "user:pass@host", "ftp://a:b@c.d/",
        "john@example.com", "a.b+c@sub.example.co.uk", "@handle",
        "AKIAIOSFODNN7EXAMPLE", "aws_secret_access_key", "ghp_", "sk-", "xoxb-", "eyJhbGciOiJIUzI1NiJ9", "Bearer ", "password=",
        "passwd: ", "api_key", "token", "-----BEGIN RSA PRIVATE KEY-----", "-----END", "AIza", "secret",
        "ignore previous instructions", "system prompt", "DAN", "jailbreak", "you are now", "pretend",
        "é", "ß", "İ", "ı", "K", "ſ", "Σ", "ς", "ﬀ", "日本", "😀", "\u00a0", "\u200b", "Ⅻ", "٣", "１２３",
    };

    static String fuzz(Random r, int n) {
        StringBuilder b = new StringBuilder();
        while (b.length() < n) {
            int k = r.nextInt(10);
            if (k < 5) b.append(FRAG[r.nextInt(FRAG.length)]);
            else if (k < 7) { int len = 1 + r.nextInt(r.nextBoolean() ? 4 : 20); for (int i = 0; i < len; i++) b.append((char) ('0' + r.nextInt(10))); }
            else if (k < 8) { int len = 1 + r.nextInt(40); String al = "abcdefABCDEF0123456789_-+/=xyzQ"; for (int i = 0; i < len; i++) b.append(al.charAt(r.nextInt(al.length()))); }
            else if (k < 9) { int len = 1 + r.nextInt(12); for (int i = 0; i < len; i++) b.append((char) ((i == 0 && r.nextBoolean() ? 'A' : 'a') + r.nextInt(26))); }
            else b.append((char) (32 + r.nextInt(95)));
        }
        return b.toString();
    }
}
