package dev.bastion.gguf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A GPT-2-style byte-level BPE vocabulary trained on a small built-in text: 256 byte tokens (each byte spelled as
 * the printable character GPT-2's byte-to-unicode table assigns it), then one token per learned merge. Any byte
 * string tokenizes, so encode/decode round trips exactly.
 */
public final class ByteLevelBpe {
    /** Written for this purpose: plain sentences whose frequent letter pairs give the merges something to learn. */
    static final String CORPUS = """
            The gateway checks every request before it reaches a model. The model answers and the gateway checks \
            the answer again. A local model runs in its own process, without a network, and the gateway talks to \
            it over a socket on the same machine. The worker loads the model file, verifies its digest, and then \
            serves chat completions, text completions and embeddings. When the worker stops, the gateway starts \
            it again and waits a little longer each time. Tokens are counted, limits are enforced, and the queue \
            is bounded so that a burst of requests is refused early instead of piling up. These are the things \
            that the tests check: that the worker starts, that it answers, that it stops when told, and that it \
            refuses what it should refuse. There is nothing else to it, and that is the point of the exercise.
            """;
    private static final Pattern PRE_TOKENIZE =
            Pattern.compile("'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");

    private static final String[] BYTE_TO_CHAR = byteToUnicode();

    private final List<String> tokens;
    private final List<String> merges;

    private ByteLevelBpe(List<String> tokens, List<String> merges) {
        this.tokens = tokens;
        this.merges = merges;
    }

    /** Learns up to {@code mergeCount} merges from the built-in text (fewer if the text runs out of pairs). */
    public static ByteLevelBpe train(int mergeCount) {
        Map<List<String>, Integer> words = new LinkedHashMap<>();
        Matcher m = PRE_TOKENIZE.matcher(CORPUS);
        while (m.find()) words.merge(spell(m.group()), 1, Integer::sum);

        List<String> tokens = new ArrayList<>(256 + mergeCount);
        for (int b = 0; b < 256; b++) tokens.add(BYTE_TO_CHAR[b]);
        var known = new java.util.HashSet<>(tokens);
        List<String> merges = new ArrayList<>(mergeCount);
        while (merges.size() < mergeCount) {
            // TreeMap: ties go to the lexicographically first pair, so training is deterministic
            Map<String, Integer> pairs = new TreeMap<>();
            for (var e : words.entrySet()) {
                List<String> w = e.getKey();
                for (int i = 0; i + 1 < w.size(); i++) pairs.merge(w.get(i) + " " + w.get(i + 1), e.getValue(), Integer::sum);
            }
            String best = null;
            int bestCount = 1;
            for (var e : pairs.entrySet()) {
                if (e.getValue() > bestCount) {
                    best = e.getKey();
                    bestCount = e.getValue();
                }
            }
            if (best == null) break;
            merges.add(best);
            int sp = best.indexOf(' ');
            String a = best.substring(0, sp), b = best.substring(sp + 1), ab = a + b;
            if (known.add(ab)) tokens.add(ab);
            Map<List<String>, Integer> next = new LinkedHashMap<>();
            for (var e : words.entrySet()) next.merge(apply(e.getKey(), a, b), e.getValue(), Integer::sum);
            words = next;
        }
        return new ByteLevelBpe(List.copyOf(tokens), List.copyOf(merges));
    }

    /** Token texts in id order (byte-level spelling). */
    public List<String> tokens() { return tokens; }

    /** Merges in rank order, each {@code "left right"}. */
    public List<String> merges() { return merges; }

    /** The raw bytes a token stands for. */
    public static byte[] bytesOf(String token) {
        var out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < token.length(); i++) out.write(CHAR_TO_BYTE.getOrDefault(token.charAt(i), (int) '?'));
        return out.toByteArray();
    }

    private static final Map<Character, Integer> CHAR_TO_BYTE = new HashMap<>();

    static {
        for (int b = 0; b < 256; b++) CHAR_TO_BYTE.put(BYTE_TO_CHAR[b].charAt(0), b);
    }

    private static List<String> spell(String word) {
        byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>(bytes.length);
        for (byte b : bytes) out.add(BYTE_TO_CHAR[b & 0xff]);
        return out;
    }

    private static List<String> apply(List<String> word, String a, String b) {
        List<String> out = new ArrayList<>(word.size());
        for (int i = 0; i < word.size(); i++) {
            if (i + 1 < word.size() && word.get(i).equals(a) && word.get(i + 1).equals(b)) {
                out.add(a + b);
                i++;
            } else {
                out.add(word.get(i));
            }
        }
        return List.copyOf(out);
    }

    /** GPT-2's table: printable bytes map to themselves, the rest to code points from 256 up. */
    private static String[] byteToUnicode() {
        String[] table = new String[256];
        int n = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            table[b] = printable ? String.valueOf((char) b) : String.valueOf((char) (256 + n++));
        }
        return table;
    }
}
