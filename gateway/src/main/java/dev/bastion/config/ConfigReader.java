package dev.bastion.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one YAML mapping into typed values, remembering every key it was asked for so that {@link #finish()} can
 * name keys nobody understood (a typo must not silently fall back to a default). Every scalar can be overridden by
 * an environment variable named after its path: {@code server.port} → {@code BASTION_SERVER_PORT},
 * {@code backends[0].url} → {@code BASTION_BACKENDS_0_URL}.
 */
final class ConfigReader {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB|KB|MB|GB)?");

    private final String path;
    private final JsonNode node;
    private final Map<String, String> env;
    private final List<String> problems;
    private final Set<String> seen = new HashSet<>();
    private final List<ConfigReader> children = new ArrayList<>();
    /** Hears the full path of every key asked for, present or not (ConfigurationDocumentedTest). */
    private final java.util.function.Consumer<String> asked;

    ConfigReader(String path, JsonNode node, Map<String, String> env, List<String> problems) {
        this(path, node, env, problems, key -> {});
    }

    ConfigReader(String path, JsonNode node, Map<String, String> env, List<String> problems,
                 java.util.function.Consumer<String> asked) {
        this.asked = asked;
        this.path = path;
        this.node = node == null ? MissingNode.getInstance() : node;
        this.env = env;
        this.problems = problems;
        if (!this.node.isMissingNode() && !this.node.isNull() && !this.node.isObject()) {
            problems.add(where(null) + ": must be a mapping");
        }
    }

    String path() { return path; }

    ConfigReader section(String key) {
        seen.add(key);
        asked.accept(join(key));
        ConfigReader child = new ConfigReader(join(key), node.get(key), env, problems, asked);
        children.add(child);
        return child;
    }

    /** The raw tree under {@code key} (a block another package reads), or null when absent. */
    JsonNode subtree(String key) {
        seen.add(key);
        JsonNode v = node.get(key);
        return v == null || v.isNull() || v.isMissingNode() ? null : v;
    }

    /** A list of mappings, each read by {@code item}. */
    <T> List<T> list(String key, Function<ConfigReader, T> item) {
        seen.add(key);
        asked.accept(join(key));
        JsonNode list = node.get(key);
        if (list == null || list.isNull()) return List.of();
        if (!list.isArray()) {
            problems.add(where(key) + ": must be a list");
            return List.of();
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            ConfigReader child = new ConfigReader(join(key) + "[" + i + "]", list.get(i), env, problems, asked);
            children.add(child);
            out.add(item.apply(child));
        }
        return out;
    }

    /** A list of plain strings. */
    List<String> strings(String key) {
        seen.add(key);
        asked.accept(join(key));
        JsonNode list = node.get(key);
        if (list == null || list.isNull()) return List.of();
        String override = env.get(envName(key));
        if (override != null) {
            return override.isBlank() ? List.of() : List.of(override.split("\\s*,\\s*"));
        }
        if (!list.isArray()) {
            problems.add(where(key) + ": must be a list of strings");
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (JsonNode n : list) {
            if (!n.isTextual()) problems.add(where(key) + ": must be a list of strings");
            else out.add(n.asText());
        }
        return out;
    }

    String string(String key, String fallback) {
        String raw = raw(key);
        return raw == null ? fallback : raw;
    }

    String requiredString(String key) {
        String raw = raw(key);
        if (raw == null || raw.isBlank()) {
            problems.add(where(key) + ": is required");
            return "";
        }
        return raw;
    }

    int integer(String key, int fallback, int min, int max) {
        String raw = raw(key);
        if (raw == null) return fallback;
        try {
            int v = Integer.parseInt(raw.trim());
            if (v < min || v > max) {
                problems.add(where(key) + ": must be between " + min + " and " + max + " (got " + v + ")");
                return fallback;
            }
            return v;
        } catch (NumberFormatException e) {
            problems.add(where(key) + ": must be a whole number (got '" + raw + "')");
            return fallback;
        }
    }

    /** A whole number that may exceed an int (token budgets); null when absent. */
    Long whole(String key, long min, long max) {
        String raw = raw(key);
        if (raw == null) return null;
        try {
            long v = Long.parseLong(raw.trim().replace("_", ""));
            if (v < min || v > max) {
                problems.add(where(key) + ": must be between " + min + " and " + max + " (got " + v + ")");
                return null;
            }
            return v;
        } catch (NumberFormatException e) {
            problems.add(where(key) + ": must be a whole number (got '" + raw + "')");
            return null;
        }
    }

    /** A non-negative decimal number (prices, money); null when absent. */
    Double decimal(String key, double max) {
        String raw = raw(key);
        if (raw == null) return null;
        try {
            double v = Double.parseDouble(raw.trim());
            if (!(v >= 0) || v > max) {
                problems.add(where(key) + ": must be between 0 and " + max + " (got " + raw + ")");
                return null;
            }
            return v;
        } catch (NumberFormatException e) {
            problems.add(where(key) + ": must be a number (got '" + raw + "')");
            return null;
        }
    }

    boolean bool(String key, boolean fallback) {
        String raw = raw(key);
        if (raw == null) return fallback;
        return switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> {
                problems.add(where(key) + ": must be true or false (got '" + raw + "')");
                yield fallback;
            }
        };
    }

    /** Durations like {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, {@code 30d}. */
    Duration duration(String key, Duration fallback) {
        String raw = raw(key);
        if (raw == null) return fallback;
        Matcher m = DURATION.matcher(raw.trim());
        if (!m.matches()) {
            problems.add(where(key) + ": must be a duration like 500ms, 30s, 2m, 30d (got '" + raw + "')");
            return fallback;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofHours(n);
        };
    }

    /** Sizes in bytes, with an optional unit: {@code 4MiB}, {@code 512KiB}, {@code 1000}. */
    long size(String key, long fallback, long min, long max) {
        String raw = raw(key);
        if (raw == null) return fallback;
        Matcher m = SIZE.matcher(raw.trim());
        if (!m.matches()) {
            problems.add(where(key) + ": must be a size like 4MiB, 512KiB or a byte count (got '" + raw + "')");
            return fallback;
        }
        long n;
        try {
            n = Math.multiplyExact(Long.parseLong(m.group(1)), unit(m.group(2)));
        } catch (ArithmeticException | NumberFormatException e) {
            problems.add(where(key) + ": is too large");
            return fallback;
        }
        if (n < min || n > max) {
            problems.add(where(key) + ": must be between " + min + " and " + max + " bytes (got " + n + ")");
            return fallback;
        }
        return n;
    }

    <E extends Enum<E>> E choice(String key, Class<E> type, E fallback) {
        String raw = raw(key);
        if (raw == null) return fallback;
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(raw.trim().replace('-', '_'))) return e;
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) names.add(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        problems.add(where(key) + ": must be one of " + names + " (got '" + raw + "')");
        return fallback;
    }

    /** The keys present in this mapping, for free-form sections such as labels. */
    List<String> keys() {
        List<String> keys = new ArrayList<>();
        if (node.isObject()) node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    /** How many problems all readers of this file reported so far. */
    int problemCount() { return problems.size(); }

    void problem(String key, String message) {
        problems.add(where(key) + ": " + message);
    }

    /** Reports every key in this mapping and below that no reader asked for. */
    void finish() {
        if (node.isObject()) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!seen.contains(key)) {
                    problems.add(where(key) + ": unknown key" + suggestion(key));
                }
            }
        }
        for (ConfigReader child : children) child.finish();
    }

    private String suggestion(String key) {
        String best = null;
        int bestDistance = 3;
        for (String known : seen) {
            int d = distance(key, known);
            if (d < bestDistance) {
                bestDistance = d;
                best = known;
            }
        }
        return best == null ? "" : " (did you mean '" + best + "'?)";
    }

    private String raw(String key) {
        seen.add(key);
        asked.accept(join(key));
        String override = env.get(envName(key));
        if (override != null) return override;
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) return null;
        if (!v.isValueNode()) {
            problems.add(where(key) + ": must be a single value");
            return null;
        }
        return v.asText();
    }

    String envName(String key) {
        return ("BASTION_" + join(key)).replaceAll("[.\\-\\[]", "_").replace("]", "").toUpperCase(Locale.ROOT);
    }

    private String join(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private String where(String key) {
        return key == null ? (path.isEmpty() ? "(top level)" : path) : join(key);
    }

    private static long unit(String unit) {
        if (unit == null || unit.equals("B")) return 1;
        return switch (unit) {
            case "KiB" -> 1024L;
            case "MiB" -> 1024L * 1024;
            case "GiB" -> 1024L * 1024 * 1024;
            case "KB" -> 1000L;
            case "MB" -> 1000L * 1000;
            default -> 1000L * 1000 * 1000;
        };
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
