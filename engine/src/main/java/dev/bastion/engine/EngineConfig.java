package dev.bastion.engine;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * The worker's settings, all from its command line ({@code --key value} or {@code --key=value}), so that the
 * supervisor can pass everything explicitly and nothing is read from the environment or the network.
 *
 * @param sha256          expected SHA-256 of the model file (hex); the worker refuses any other file
 * @param network         {@code isolated}: run only in a network namespace without non-loopback interfaces
 *                        (re-executing itself under {@code unshare --net} when needed); {@code host}: no check
 * @param parallel        generations running at once (llama.cpp slots; the context is split between them)
 * @param queue           admitted requests waiting for a slot; past parallel + queue the answer is 429
 * @param embeddings      serve /v1/embeddings; off by default because llama.cpp's embedding mode slows generation
 *                        (about 13 % on the benchmark model, see docs/engine.md)
 * @param exitOnStdinEof  stop when standard input closes: the supervisor's pipe, so the worker dies with the gateway
 * @param lora            a LoRA adapter (GGUF) applied on top of the model, or null
 * @param loraSha256      expected SHA-256 of the adapter file (hex); required with {@code --lora}
 * @param lockdown        {@code required}: lock itself down (seccomp, Landlock, no capabilities, no-new-privs) and
 *                        refuse to serve unless every protection holds, cgroup limits included;
 *                        {@code best-effort}: serve and report what is missing; {@code off} (default): report only
 * @param escapeProbes    tests only: serve {@code /_probe/*}, which try to break out from inside the worker
 */
public record EngineConfig(Path model, String sha256, Path socket, String modelName, int threads, int contextSize,
                           int parallel, int queue, int maxTokensLimit, int defaultMaxTokens, int maxBodyBytes,
                           int maxConnections, Network network, boolean embeddings, boolean mmap,
                           boolean nativeLogs, boolean exitOnStdinEof, int idleTimeoutMillis,
                           int requestTimeoutMillis, Path lora, String loraSha256, Lockdown.Mode lockdown,
                           boolean escapeProbes) {

    public enum Network { ISOLATED, HOST }

    private static final Set<String> KEYS = Set.of("model", "sha256", "socket", "model-name", "threads", "ctx",
            "parallel", "queue", "max-tokens", "default-max-tokens", "max-body", "max-connections", "network",
            "embeddings", "mmap", "native-logs", "exit-on-stdin-eof", "idle-timeout-ms", "request-timeout-ms",
            "lora", "lora-sha256", "lockdown", "escape-probes");

    /** Thrown for a bad command line; the message names the option, never a value that could be a secret. */
    public static final class UsageException extends Exception {
        UsageException(String message) { super(message); }
    }

    public static EngineConfig parse(String[] args) throws UsageException {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) throw new UsageException("unexpected argument at position " + i);
            String key;
            String value;
            int eq = a.indexOf('=');
            if (eq > 0) {
                key = a.substring(2, eq);
                value = a.substring(eq + 1);
            } else {
                key = a.substring(2);
                if (i + 1 >= args.length) throw new UsageException("--" + key + " needs a value");
                value = args[++i];
            }
            if (!KEYS.contains(key)) throw new UsageException("unknown option --" + key);
            m.put(key, value);
        }
        Path model = Path.of(required(m, "model"));
        String sha = hexDigest(required(m, "sha256"), "sha256");
        Path lora = m.containsKey("lora") ? Path.of(required(m, "lora")) : null;
        String loraSha = lora == null ? null : hexDigest(required(m, "lora-sha256"), "lora-sha256");
        if (lora == null && m.containsKey("lora-sha256")) throw new UsageException("--lora-sha256 needs --lora");
        String fileName = model.getFileName().toString();
        String defaultName = fileName.endsWith(".gguf") ? fileName.substring(0, fileName.length() - 5) : fileName;
        int cores = Runtime.getRuntime().availableProcessors();
        int parallel = integer(m, "parallel", 1, 1, 64);
        int ctx = integer(m, "ctx", 2048, 64, 1 << 20);
        if (ctx / parallel < 32) throw new UsageException("--ctx too small for --parallel");
        Path socket = Path.of(required(m, "socket"));
        // sun_path holds 108 bytes including the terminator; fail as a usage error, not at bind time
        if (socket.toAbsolutePath().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 100) {
            throw new UsageException("--socket path is longer than 100 bytes");
        }
        return new EngineConfig(model, sha, socket, m.getOrDefault("model-name", defaultName),
                integer(m, "threads", Math.min(4, cores), 1, 256), ctx, parallel,
                integer(m, "queue", 8, 0, 10_000), integer(m, "max-tokens", 4096, 1, 1 << 20),
                integer(m, "default-max-tokens", 512, 1, 1 << 20), integer(m, "max-body", 1 << 20, 1024, 64 << 20),
                integer(m, "max-connections", 32, 2, 4096), network(m.getOrDefault("network", "isolated")),
                bool(m, "embeddings", false), bool(m, "mmap", false), bool(m, "native-logs", false),
                bool(m, "exit-on-stdin-eof", false), integer(m, "idle-timeout-ms", 60_000, 100, 3_600_000),
                integer(m, "request-timeout-ms", 10_000, 100, 600_000), lora, loraSha,
                lockdown(m.getOrDefault("lockdown", "off")), bool(m, "escape-probes", false));
    }

    private static String hexDigest(String value, String key) throws UsageException {
        String sha = value.toLowerCase(java.util.Locale.ROOT);
        if (sha.length() != 64 || !sha.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new UsageException("--" + key + " must be 64 hex digits");
        }
        HexFormat.of().parseHex(sha);
        return sha;
    }

    /** Context tokens each slot gets. */
    public int slotContext() { return contextSize / parallel; }

    private static String required(Map<String, String> m, String key) throws UsageException {
        String v = m.get(key);
        if (v == null || v.isBlank()) throw new UsageException("--" + key + " is required");
        return v;
    }

    private static int integer(Map<String, String> m, String key, int dflt, int min, int max) throws UsageException {
        String v = m.get(key);
        if (v == null) return dflt;
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) throw new UsageException("--" + key + " must be in [" + min + ", " + max + "]");
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + key + " must be an integer");
        }
    }

    private static boolean bool(Map<String, String> m, String key, boolean dflt) throws UsageException {
        String v = m.get(key);
        if (v == null) return dflt;
        return switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new UsageException("--" + key + " must be true or false");
        };
    }

    private static Lockdown.Mode lockdown(String v) throws UsageException {
        return switch (v) {
            case "required" -> Lockdown.Mode.REQUIRED;
            case "best-effort" -> Lockdown.Mode.BEST_EFFORT;
            case "off" -> Lockdown.Mode.OFF;
            default -> throw new UsageException("--lockdown must be required, best-effort or off");
        };
    }

    private static Network network(String v) throws UsageException {
        return switch (v) {
            case "isolated" -> Network.ISOLATED;
            case "host" -> Network.HOST;
            default -> throw new UsageException("--network must be isolated or host");
        };
    }
}
