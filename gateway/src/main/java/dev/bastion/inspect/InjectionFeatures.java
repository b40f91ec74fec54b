package dev.bastion.inspect;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;

/**
 * Features of a text for the prompt-injection model: cue-phrase groups (EN/DE/ES/FR overrides, system-prompt
 * extraction, role-play, jailbreak names, output coercion, instructions addressed to an AI inside a document),
 * signs of obfuscation (zero-width and bidi characters, base64/hex payloads — decoded and scanned — and ROT13),
 * and hashed word unigrams and bigrams. Linear time: normalisation, one tokenisation, bounded decoding.
 */
public final class InjectionFeatures {
    /** Hashed feature space; the first {@link #RESERVED} slots are the named features. */
    public static final int DIM = 1 << 18;
    static final int RESERVED = 64;
    /** Index of the always-on bias feature (where a calibration shift goes). */
    public static final int BIAS = 52;
    /** Features describe the first 20,000 chars of a text (a request's text slots are scanned one by one). */
    static final int PREFIX = 20_000;

    static final String[][] GROUPS = {
            /* 0 override */ {"ignore all", "ignore previous", "ignore the above", "ignore your", "ignore any", "ignore everything",
                    "ignore the", "disregard", "forget everything", "forget all", "forget about", "forget your", "forget the",
                    "forget what", "vergiss", "vergessen sie", "ignoriere", "ignorieren sie", "olvida", "olvidar", "ignora ",
                    "oublie", "ignorez", "abandon all", "abandon your", "nevermind", "never mind", "stop -", "stop!", "attention -",
                    "override", "bypass", "ignoriert", "ignorieren", "vergessen", "vergesst", "lass alles", "lassen sie alle", "aus dem kopf", "hinter sich", "streichen", "verwerfen", "missachte", "olvídate", "olvidate", "ignorar", "ignore toutes", "oubliez", "dimentica", "ignora tutte", "don't follow", "do not follow", "stop following", "no longer follow", "skip the", "start over", "von vorne", "von neu", "neu starten", "reset", "despite what", "regardless of what", "abweichend",
                    "stop:", "stopp", "achtung -", "achtung:",
                    "zaboravi", "zapomnij", "zapomeň", "esqueça", "esqueca", "vergeet", "negeer", "glem", "glöm", "unohda", "zabud"},
            /* 1 previous */ {"previous instructions", "prior instructions", "preceding", "above instructions", "vorherigen",
                    "bisherigen", "davor", "zuvor", "anteriores", "all instructions", "your instructions", "initial instructions",
                    "the instructions", "all previous", "all prior", "everything before", "alles davor", "alle aufträge",
                    "all the assignments", "all assignments", "previous tasks", "previous task", "instructions above",
                    "vorherige", "instrucciones", "preceding orders", "previous orders", "all orders", "previous information", "vorherigen informationen", "bisherigen informationen", "vorangegangenen", "obigen", "above", "anweisungen", "aufgaben", "aufträge", "instructions précédentes", "istruzioni precedenti", "all of the above", "everything above", "what we discussed", "was wir vorher", "everything i said", "everything you", "instruktion", "instrukcj", "instrukcij", "instruções", "istruzioni",
                    "additional instruction", "zusätzliche anweisung", "what you've been told", "what you have been told"},
            /* 2 new task */ {"new task", "neue aufgabe", "now focus", "konzentriere dich", "konzentrieren sie sich", "from now on",
                    "ab jetzt", "von nun an", "nun folgt", "now you", "jetzt bist du", "instead,", "stattdessen", "new instructions",
                    "neue anweisung", "nueva tarea", "a partir de ahora", "your new", "deine neue", "next task", "following task",
                    "but now", "aber jetzt", "now i have", "now write", "now say", "now tell", "now answer", "nun folgen", "jetzt folgen", "jetzt kommen", "weitere aufgabe", "weitere aufgaben", "folgende aufgabe", "folgender aufgabe", "nächste aufgabe", "another task", "new challenge", "neue herausforderung", "further tasks", "more tasks", "neue anweisungen", "wir starten", "we start", "let's start", "beginne", "nueva instrucción", "nouvelle tâche", "nuova attività", "now comes", "here is your", "your task is", "deine aufgabe", "ihre aufgabe", "tu tarea", "ta tâche"},
            /* 3 system prompt */ {"system prompt", "systemprompt", "initial prompt", "your prompt", "prompt text", "prompt_text",
                    "prompt-text", "your rules", "your guidelines", "instructions you were given", "text above", "above text",
                    "repeat the", "repeat everything", "wiederhole", "print your", "show me your", "reveal", "zeige mir",
                    "show all your", "all your prompt", "deine anweisungen", "hidden instructions", "what were you told",
                    "sentences before", "words before", "your initial", "configuration", "verbatim", "system message", "beginning of this prompt", "beginning of the prompt", "start of this prompt", "anfang des prompts", "anfang dieses", "what was written", "was steht", "prompt-text", "prompt-texte", "prompttext", "your instructions", "original instructions", "your programming", "initial instructions", "instrucciones iniciales", "tes instructions"},
            /* 4 role */ {"you are now", "du bist jetzt", "du bist", "act as", "acting as", "pretend", "roleplay", "role-play",
                    "role play", "imagine you are", "stell dir vor", "stellen sie sich vor", "as a character", "in the style of",
                    "im stile", "simulate", "you will now", "from now on you", "eres ", "actúa como", "actua como", "you are a",
                    "you're a", "i want you to act", "ich möchte, dass sie als", "ich möchte, dass du", "play the role",
                    "your name is", "you will be", "respond as", "answer as", "als ob du", "tu es", "fungieren", "fungierst", "agieren", "spiele die rolle", "spielst", "du spielst", "in deiner rolle", "deine rolle", "your role", "in character", "jetzt bist du", "nun bist du", "now you are", "you are the", "sie sind jetzt", "eres un", "eres una", "actúa", "finge", "haz de", "fais semblant", "agis comme", "sei un", "fingi", "impersonate", "pretend to be", "behave like", "talk like", "speak like", "im stil", "im stile", "in the voice of", "be a ", "sei ein", "you are "},
            /* 5 jailbreak */ {"dan", "do anything now", "jailbreak", "developer mode", "dev mode", "stan", "dude", "unfiltered",
                    "uncensored", "no restrictions", "without restrictions", "no limits", "no rules", "ohne einschränkungen",
                    "openai policy", "content policy", "anti-dan", "unrestricted", "jailbroken", "🔓", "no ethical", "amoral",
                    "immoral", "never refuse", "not bound by", "any restrictions", "break character", "stay in character",
                    "token system", "opposite mode", "evil", "böse", "böser", "ohne filter", "without filter", "no filter", "no censorship", "keine zensur", "sin restricciones", "sans restriction", "senza restrizioni", "hate speech", "hassrede"},
            /* 6 coercion */ {"say ", "sag ", "sage ", "output", "print", "answer with", "respond with", "antworte", "schreibe",
                    "only say", "just say", "repeat after me", "type ", "reply with", "write ", "tell me that", "erzähl",
                    "sagen sie", "dime", "di que", "i hate", "hass", "formuliere", "unwahre", "lie ", "lüge", "false", "gib aus", "geben sie", "ausgeben", "schreib", "schreiben sie", "sag mir", "sagen", "behaupte", "execute", "führe aus", "run the following", "translate the following", "übersetze", "escribe", "écris", "scrivi", "dimmi", "only answer", "nur antworten", "antworte nur", "respond only", "must answer", "musst", "you must", "du musst", "oder du stirbst", "or you die", "or else",
                    "state that", "include that", "just output", "only output", "claim that", "behaupte, dass", "gib nur"},
            /* 7 addressed to AI */ {"assistant:", "system:", "### instruction", "[system]", "<|im_start|>", "<|system|>",
                    "begin instructions", "important instruction", "note to ai", "ai assistant", "dear ai", "if you are an ai",
                    "language model", "when summarizing", "instead of summarizing", "chatgpt", "gpt", "as an ai", "the ai",
                    "ki ", "bot", "llm", "model:", "user:", "human:"},
            /* 8 harmful payload words */ {"hitler", "nazi", "bomb", "kill", "hate", "drugs", "hack", "password", "exploit",
                    "malware", "weapon"},
            /* 9 praise before a pivot */ {"well done", "good job", "great job", "very good", "excellent", "fantastic", "that's enough",
                    "that is enough", "perfect!", "great!", "wow", "sehr gut", "gut gemacht", "super gemacht", "ausgezeichnet",
                    "hervorragend", "großartig", "fantastisch", "das genügt", "das reicht", "glückwunsch", "congratulations",
                    "bien hecho", "muy bien", "excelente", "très bien", "bravo", "ottimo", "okay.", "ok.", "ok,"},
            /* 10 the supplied documents set aside, or a fake context supplied */ {"own knowledge", "not by the articles",
                    "not from the articles", "ignore the articles", "ignore all documents", "ignore the documents",
                    "documents provided", "provided context", "in the documents", "do not look", "don't look",
                    "do not answer", "don't answer", "make something up", "make up", "untrue", "unwahr", "falsche antwort",
                    "erfinde", "document context", "$documents", "eigenen wissen", "ohne die artikel", "nicht die artikel", "pwned", "pwn"},
    };
    static final int F_ZERO_WIDTH = 40, F_BASE64 = 41, F_HEX = 42, F_DECODED_CUE = 43, F_ROT13_CUE = 44,
            F_LONG = 45, F_VERY_LONG = 46, F_SHORT = 47, F_QUESTION = 48, F_EXCLAIM = 49, F_CAPS = 50,
            F_BIAS = BIAS, F_MULTI_GROUP = 53, F_GROUP_PAIR = 54, F_LATE_CUE = 55, F_ROLE_QUESTION = 56, F_PIVOT = 57, F_SPACED = 58;

    private InjectionFeatures() {}

    /** Sorted distinct active feature indices of {@code text}. */
    public static int[] extract(String text) {
        IntSet f = new IntSet();
        f.add(F_BIAS);
        int zw = 0;
        int caps = 0;
        int letters = 0;
        boolean ascii = true;
        int scan = Math.min(text.length(), PREFIX); // every feature describes the same prefix
        for (int i = 0; i < scan; i++) {
            char c = text.charAt(i);
            if (c < 128) { // the common case, without the Unicode tables
                if (c >= 'a' && c <= 'z') letters++;
                else if (c >= 'A' && c <= 'Z') { letters++; caps++; }
                continue;
            }
            ascii = false;
            if (c == '\u200b' || c == '\u200c' || c == '\u200d' || c == '\u2060' || c == '\ufeff'
                    || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069') || Character.isSurrogate(c) && i + 1 < scan
                    && Character.toCodePoint(c, text.charAt(i + 1)) >= 0xE0000 && Character.toCodePoint(c, text.charAt(i + 1)) <= 0xE007F) zw++;
            if (Character.isLetter(c)) { letters++; if (Character.isUpperCase(c)) caps++; }
        }
        if (zw > 0) f.add(F_ZERO_WIDTH);
        if (letters > 20 && caps * 3 > letters) f.add(F_CAPS);
        // this loop has already looked at every char of the prefix; the word features come with the normalisation
        String norm = normalize(text, ascii, new WordBuckets(f));
        int[] lastStart = new int[GROUPS.length];
        int groups = cues(norm, f, 0, lastStart);
        if (Integer.bitCount(groups) >= 2) f.add(F_MULTI_GROUP);
        if ((groups & 0b11) == 0b11 || (groups & 0b101) == 0b101) f.add(F_GROUP_PAIR);
        if ((groups & (1 << 9)) != 0 && (groups & 0b1111111) != 0) f.add(F_PIVOT);
        if (payloads(text, f)) f.add(F_DECODED_CUE);
        // ROT13 only where the text does not read as plain English (cheap test first)
        if ((groups & 0b111) == 0 && !plainEnglish(norm) && cues(rot13(norm), new IntSet(), 0) != 0) f.add(F_ROT13_CUE);
        int len = text.length();
        if (len < 40) f.add(F_SHORT);
        if (len > 400) f.add(F_LONG);
        if (len > 1500) f.add(F_VERY_LONG);
        if (norm.indexOf('?') >= 0) {
            f.add(F_QUESTION);
            // a role handed out and a question asked of it ("You are Volkswagen. What do you think of …?"), unlike a
            // system prompt, which sets a role and states rules
            if ((groups & (1 << 4)) != 0) f.add(F_ROLE_QUESTION);
        }
        if (norm.indexOf('!') >= 0) f.add(F_EXCLAIM);
        late(norm, lastStart, f);
        String collapsed = spacedLetters(norm);
        if (collapsed != null) {
            f.add(F_SPACED);
            if (cues(collapsed, new IntSet(), 0) != 0) f.add(F_DECODED_CUE);
        }
        return f.toSortedArray();
    }

    static String normalize(String text) {
        boolean ascii = true;
        for (int i = 0, n = Math.min(text.length(), PREFIX); i < n && ascii; i++) ascii = text.charAt(i) < 128;
        return normalize(text, ascii, null);
    }

    /**
     * {@link #normalize(String)} when the caller knows whether the first {@link #PREFIX} chars are all ASCII;
     * {@code words} (when given) sees every char of the result.
     */
    private static String normalize(String text, boolean ascii, WordBuckets words) {
        String t = text.length() > PREFIX ? text.substring(0, PREFIX) : text; // features of a prefix are enough
        if (!ascii) t = Normalizer.normalize(t, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        // one pass: lower-case (ASCII inline), drop zero-width characters, collapse white space
        char[] b = new char[t.length()];
        int m = 0;
        boolean space = false;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < 128) {
                if (c == ' ' || c >= '\t' && c <= '\r' || c >= 0x1c && c <= 0x1f) {
                    if (!space) m = append(b, m, ' ', words);
                    space = true;
                    continue;
                }
                m = append(b, m, c >= 'A' && c <= 'Z' ? (char) (c + 32) : c, words);
                space = false;
                continue;
            }
            if (c == '\u200b' || c == '\u200c' || c == '\u200d' || c == '\u2060' || c == '\ufeff') continue;
            if (Character.isWhitespace(c)) {
                if (!space) m = append(b, m, ' ', words);
                space = true;
            } else {
                m = append(b, m, c, words);
                space = false;
            }
        }
        if (words != null) words.finish();
        return new String(b, 0, m);
    }

    private static int append(char[] b, int m, char c, WordBuckets words) {
        b[m] = c;
        if (words != null) words.accept(c);
        return m + 1;
    }

    private static final PhraseMatcher MATCHER;
    private static final int[] GROUP_OF;

    static {
        java.util.List<String> all = new java.util.ArrayList<>();
        java.util.List<Integer> groupOf = new java.util.ArrayList<>();
        for (int g = 0; g < GROUPS.length; g++) for (String p : GROUPS[g]) { all.add(p); groupOf.add(g); }
        MATCHER = new PhraseMatcher(all);
        GROUP_OF = groupOf.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Adds one feature per cue group found (a second when two different phrases of it occur); returns the groups. */
    private static int cues(String norm, IntSet f, int base) {
        return cues(norm, f, base, null);
    }

    /** As above; {@code lastStart[g]} (when given) receives the start of the last phrase of group g, or -1. */
    private static int cues(String norm, IntSet f, int base, int[] lastStart) {
        int[] firstPhrase = new int[GROUPS.length];
        boolean[] second = new boolean[GROUPS.length];
        Arrays.fill(firstPhrase, -1);
        if (lastStart != null) Arrays.fill(lastStart, -1);
        MATCHER.scan(norm, (id, start) -> {
            int g = GROUP_OF[id];
            if (firstPhrase[g] < 0) firstPhrase[g] = id;
            else if (firstPhrase[g] != id) second[g] = true;
            if (lastStart != null) lastStart[g] = start;
        });
        int found = 0;
        for (int g = 0; g < GROUPS.length; g++) {
            if (firstPhrase[g] < 0) continue;
            found |= 1 << g;
            f.add(base + 1 + g * 2);
            if (second[g]) f.add(base + 2 + g * 2);
        }
        return found;
    }

    /** Base64 and hex runs: decodes the first few and looks for cue phrases inside. */
    private static boolean payloads(String text, IntSet f) {
        return payloads(text, f, true);
    }

    /** As above; {@code skip} off only in the test that checks the skip over short runs against the plain scan. */
    static boolean payloads(String text, IntSet f, boolean skip) {
        int n = Math.min(text.length(), PREFIX);
        int i = 0;
        int decoded = 0;
        boolean cue = false;
        while (i < n && decoded < 4) {
            // a run long enough to decode covers the 24th char from here: where that char cannot be in a run, every
            // run starting before it is too short, so the scan goes on after it
            if (skip && i + MIN_RUN - 1 < n && (b64Class(text.charAt(i + MIN_RUN - 1)) & B64_OR_PAD) == 0) { i += MIN_RUN; continue; }
            if ((b64Class(text.charAt(i)) & B64) == 0) { i++; continue; }
            int st = i;
            int hex = 0;
            for (int cls; i < n && ((cls = b64Class(text.charAt(i))) & B64_OR_PAD) != 0; i++) hex += cls >> 2 & 1;
            int len = i - st;
            if (len < MIN_RUN) continue;
            String run = text.substring(st, Math.min(i, st + 4096));
            String plain = null;
            if (hex == len && len % 2 == 0) {
                f.add(F_HEX);
                plain = hexDecode(run);
            } else if (hasMixedB64(run)) {
                try {
                    plain = new String(Base64.getMimeDecoder().decode(run.replace('-', '+').replace('_', '/')), java.nio.charset.StandardCharsets.UTF_8);
                    f.add(F_BASE64);
                } catch (IllegalArgumentException e) {
                    plain = null;
                }
            }
            if (plain != null && printable(plain)) {
                decoded++;
                if (cues(normalize(plain), new IntSet(), 0) != 0) cue = true;
            }
        }
        return cue;
    }

    /** Shortest base64 or hex run that is decoded. */
    private static final int MIN_RUN = 24;
    /** Char classes of the payload scan, one table load per char: base64 (no padding), base64 or '=', hex digit. */
    private static final int B64 = 1, B64_OR_PAD = 2, HEX = 4;
    private static final byte[] B64_CLASS = new byte[128];

    static {
        for (char c = 0; c < 128; c++) {
            B64_CLASS[c] = (byte) ((Chars.isB64(c) ? B64 | B64_OR_PAD : 0) | (c == '=' ? B64_OR_PAD : 0) | (Chars.isHex(c) ? HEX : 0));
        }
    }

    /** As {@link Chars#isB64} and {@link Chars#isHex}, which hold for ASCII chars only. */
    private static int b64Class(char c) {
        return c < 128 ? B64_CLASS[c] : 0;
    }

    private static boolean hasMixedB64(String s) {
        boolean up = false, low = false, dig = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            up |= Chars.isUpper(c);
            low |= c >= 'a' && c <= 'z';
            dig |= Chars.isDigit(c);
        }
        return up && low && (dig || s.length() > 40);
    }

    private static String hexDecode(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) b[i] = (byte) Integer.parseInt(s, 2 * i, 2 * i + 2, 16);
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static boolean printable(String s) {
        int ok = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 32 && c < 127 || c == '\n') ok++;
        }
        return s.length() >= 8 && ok * 10 >= s.length() * 9;
    }

    private static boolean plainEnglish(String norm) {
        int n = 0;
        for (String w : new String[]{" the ", " and ", " to ", " of ", " is ", " you ", " in "}) {
            for (int at = norm.indexOf(w); at >= 0 && n < 3; at = norm.indexOf(w, at + 1)) n++;
            if (n >= 3) return true;
        }
        return false;
    }

    static String rot13(String s) {
        char[] c = s.toCharArray();
        for (int i = 0; i < c.length; i++) {
            char x = c[i];
            if (x >= 'a' && x <= 'z') c[i] = (char) ('a' + (x - 'a' + 13) % 26);
        }
        return new String(c);
    }

    /**
     * "s a y t h a t y o u h a t e": a run of at least eight single letters separated by single spaces, joined;
     * null when there is none. Obfuscation that hides cue phrases from a word scan.
     */
    static String spacedLetters(String norm) {
        int n = norm.length();
        int run = 0;
        int start = -1;
        int i = 0;
        while (i < n) {
            if (run == 0) {
                // outside a run only a char right before a space (or the last char) can start one: jump there
                // (indexOf, vectorised) instead of testing every position in between
                int space = norm.indexOf(' ', i + 1);
                i = space < 0 ? n - 1 : space - 1;
            }
            boolean single = (i + 1 == n || norm.charAt(i + 1) == ' ') && (i == 0 || norm.charAt(i - 1) == ' ')
                    && Character.isLetter(norm.charAt(i));
            if (single) { if (run == 0) start = i; run++; i += 2; }
            else if (run >= 8) break;
            else { run = 0; i++; }
        }
        if (run < 8) return null;
        StringBuilder b = new StringBuilder(run);
        for (int k = 0; k < run; k++) b.append(norm.charAt(start + 2 * k));
        return b.toString();
    }

    /** A cue phrase after the first sentence: an instruction appended to an ordinary question. */
    private static void late(String norm, int[] lastStart, IntSet f) {
        int cut = -1;
        for (int i = 0; i < norm.length() - 1; i++) {
            char c = norm.charAt(i);
            if ((c == '.' || c == '?' || c == '!') && norm.charAt(i + 1) == ' ') { cut = i + 2; break; }
        }
        if (cut < 0) return;
        int groups = 0;
        for (int g = 0; g < lastStart.length; g++) if (lastStart[g] >= cut) groups |= 1 << g;
        if ((groups & 0b1111111) != 0) f.add(F_LATE_CUE);
        if ((groups & 0b1000111) != 0) f.add(F_LATE_CUE + 1);
    }

    static int bucket(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        return RESERVED + Math.floorMod(h, DIM - RESERVED);
    }

    /** A small growable int set (sorted on output). */
    static final class IntSet {
        private int[] a = new int[64];
        private int n;

        void add(int v) {
            if (n == a.length) grow(); // the rare path apart: add() stays small enough for the JIT to inline
            a[n++] = v;
        }

        private void grow() { a = Arrays.copyOf(a, n * 2); }

        int[] toSortedArray() {
            if (n > 256) return viaBits();
            int[] s = Arrays.copyOf(a, n);
            Arrays.sort(s);
            int m = 0;
            for (int i = 0; i < s.length; i++) if (i == 0 || s[i] != s[i - 1]) s[m++] = s[i];
            return Arrays.copyOf(s, m);
        }

        /** The same sorted distinct values through a bit set: linear instead of sorting thousands of word buckets. */
        private int[] viaBits() {
            int max = 0;
            for (int i = 0; i < n; i++) {
                if (a[i] < 0) { Arrays.sort(a, 0, n); return distinct(); }
                max = Math.max(max, a[i]);
            }
            long[] bits = new long[(max >>> 6) + 1];
            int m = 0;
            for (int i = 0; i < n; i++) {
                long bit = 1L << a[i];
                int w = a[i] >>> 6;
                if ((bits[w] & bit) == 0) { bits[w] |= bit; m++; }
            }
            int[] out = new int[m];
            int k = 0;
            for (int w = 0; w < bits.length; w++) {
                for (long b = bits[w]; b != 0; b &= b - 1) out[k++] = (w << 6) + Long.numberOfTrailingZeros(b);
            }
            return out;
        }

        private int[] distinct() {
            int m = 0;
            for (int i = 0; i < n; i++) if (i == 0 || a[i] != a[i - 1]) a[m++] = a[i];
            return Arrays.copyOf(a, m);
        }
    }
}
