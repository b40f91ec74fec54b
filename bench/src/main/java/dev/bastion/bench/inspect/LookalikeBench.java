package dev.bastion.bench.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.inspect.EntityType;
import dev.bastion.inspect.Finding;
import dev.bastion.inspect.Inspection;
import dev.bastion.inspect.Inspector;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * False findings on look-alike negatives ({@code testdata/lookalike}): the share of texts with any entity finding at
 * or above the reporting score (0.5), per kind. {@code LookalikeBench FILE SPLIT [--show]} (SPLIT dev, test or all;
 * our own synthetic data, so {@code --show} may print the offending spans).
 */
public final class LookalikeBench {
    /** Whether the record's "allow" list names this finding's type and covers its text (a lab as an organisation). */
    static boolean allowed(JsonNode r, String text, Finding f) {
        for (JsonNode a : r.path("allow")) {
            int at = text.indexOf(a.get(1).asText());
            if (a.get(0).asText().equals(f.type().name()) && at >= 0 && f.start() >= at && f.end() <= at + a.get(1).asText().length()) return true;
        }
        return false;
    }

    public static void main(String[] args) throws Exception {
        Inspector inspector = Inspector.builder().injection(false).build();
        ObjectMapper json = new ObjectMapper();
        String split = args.length > 1 ? args[1] : "dev";
        boolean show = args.length > 2 && args[2].equals("--show");
        Map<String, int[]> byKind = new TreeMap<>();
        int n = 0, bad = 0;
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            if (line.isBlank()) continue;
            JsonNode r = json.readTree(line);
            if (!split.equals("all") && !r.get("split").asText().equals(split)) continue;
            String text = r.get("text").asText();
            var found = ((Inspection.Found) inspector.inspect(text)).findings().stream()
                    .filter(f -> f.type() != EntityType.PROMPT_INJECTION && f.score() >= 0.5 && !allowed(r, text, f)).toList();
            int[] c = byKind.computeIfAbsent(r.get("kind").asText(), k -> new int[2]);
            c[0]++;
            n++;
            if (!found.isEmpty()) {
                c[1]++;
                bad++;
                if (show) {
                    StringBuilder b = new StringBuilder();
                    for (Finding f : found) b.append(' ').append(f.type()).append("=\"").append(text, f.start(), f.end()).append('"');
                    System.out.printf("  %-10s%s   <- %s%n", r.get("kind").asText(), b, text.replace('\n', '|'));
                }
            }
        }
        byKind.forEach((k, c) -> System.out.printf("%-12s n=%3d  with a false finding %3d  (%.3f)%n", k, c[0], c[1], (double) c[1] / c[0]));
        System.out.printf("%-12s n=%3d  with a false finding %3d  (%.3f)%n", "ALL", n, bad, (double) bad / n);
    }
}
