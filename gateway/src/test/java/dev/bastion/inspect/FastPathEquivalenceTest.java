package dev.bastion.inspect;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Speed-motivated rewrites answer exactly as the plain code they replace: the one-pass search for preceding context
 * words ({@link PrecedingWords}, as the phone detector uses it) agrees with one bounded case-insensitive search per word, on text built from those words,
 * their case variants and the non-ASCII chars that lower-case to ASCII letters (İ → i, K → k); the secret scanner's
 * quiet-word shortcut, the word table's small table for short words, the injection word features gathered during
 * normalisation and the spaced-letter scan's jump agree with the general code on text built to reach their edges.
 */
class FastPathEquivalenceTest {
    private static final String[] PIECES = {"phone", "PHONE", "Tel", "tel:", "ph:", "ph.", "Ph", "call", "cal", "fax",
            "text me", "text  me", "sms", "whatsapp", "mobile", "landline", "hotline", "number", "numbe", "office",
            "messages to", "reach", "\u0130", "\u212a", "\u017f", " ", "\n", "1", "+", ".", "x", "e"};

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.of(PIECES).list().ofMaxSize(24).map(l -> String.join("", l));
    }

    @Property(tries = 3000)
    void phoneContextSearchAgreesWithPerWordSearch(@ForAll("texts") String s, @ForAll("windows") int window) {
        for (int pos = 0; pos <= s.length(); pos++) {
            assertThat(PhoneDetector.BEFORE_WORDS.before(s, pos, window))
                    .as("pos %d window %d", pos, window)
                    .isEqualTo(Chars.precededBy(s, pos, window, PhoneDetector.BEFORE));
        }
    }

    private static final String[] SECRET_PIECES = {"password", "api_key", "token", "tokens", "secret", "auth", "Bearer",
            "bearer", "Basic", "authorization", "is", "IS", "i", "word", "x", "AKIAIOSFODNN7EXAMPLE", "sk-", "ghp_", "eyJ",
            "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl", "0123456789abcdef", " ", " ", "  ", "\n", "\t",
            "=", ":", ":=", "=>", "://", "\"", "'", "`", "-", ".", "_", ",", ";", "@", "/", "\u00e9", "\u2019", "\u00a0",
            "-----BEGIN RSA PRIVATE KEY-----", "-----END"};

    @Provide
    Arbitrary<String> secretTexts() {
        return Arbitraries.of(SECRET_PIECES).list().ofMaxSize(30).map(l -> String.join("", l));
    }

    @Property(tries = 5000)
    void secretQuietWordShortcutAgreesWithGeneralSteps(@ForAll("secretTexts") String s) {
        assertThat(findings(new SecretDetector(true), s)).isEqualTo(findings(new SecretDetector(false), s));
    }

    private static java.util.List<Finding> findings(Detector d, String s) {
        java.util.List<Finding> out = new java.util.ArrayList<>();
        d.detect(new Text(s), out);
        return out;
    }

    private static final String[] WORD_PIECES = {"a", "I", "of", "The", "and", "Ave", "dan", "Dance", "ab", "abc", "abcd",
            "x", "\u0130", "\u212a", "\u017f", "\u00e9", "\u00c9t\u00e9", "\u00df", "7", "42", "'", "-", " ", " ", "."};

    @Provide
    Arbitrary<String> words() {
        return Arbitraries.of(WORD_PIECES).list().ofMinSize(1).ofMaxSize(4).map(l -> String.join("", l));
    }

    /** The table answers as a plain map from the char-wise lower-cased key to the OR of its values, short or long. */
    @Property(tries = 300)
    void wordTableAgreesWithAPlainMap(@ForAll("wordLists") java.util.List<String> keys,
                                      @ForAll("wordLists") java.util.List<String> queries) {
        WordTable.Builder b = WordTable.builder();
        java.util.Map<String, Integer> plain = new java.util.HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            int flag = 1 << (i % 12);
            b.add(keys.get(i), flag);
            plain.merge(lower(keys.get(i)), flag, (x, y) -> x | y);
        }
        WordTable table = b.build();
        for (String q : concat(keys, queries)) {
            assertThat(table.get(" " + q + " ", 1, q.length() + 1)).as(q).isEqualTo(plain.getOrDefault(lower(q), 0));
        }
    }

    @Provide
    Arbitrary<java.util.List<String>> wordLists() {
        return words().list().ofMaxSize(60);
    }

    private static String lower(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) b.append(Character.toLowerCase(c));
        return b.toString();
    }

    private static java.util.List<String> concat(java.util.List<String> a, java.util.List<String> b) {
        java.util.List<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static final String[] PROSE_PIECES = {"Ignore", "the", "s", "a", "y", "X", "\u00e9", " ", " ", "  ", "\n", "\t",
            ".", "!", "?", "'", "-", "_", "7", "42", "\u200b", "\u00a0", "\uff21", "\u0130", "\u212a", "\u00df", "\ud83d\ude00",
            "abcdefghijklmnopqrstuvwxyzabc", "\u0660"}; // 29 letters: with a piece or two around the 30-char limit

    @Provide
    Arbitrary<String> prose() {
        return Arbitraries.of(PROSE_PIECES).list().ofMaxSize(60).map(l -> String.join("", l));
    }

    /** The injection model's word features, gathered during normalisation, equal one pass over the normalised text. */
    @Property(tries = 3000)
    void injectionWordFeaturesAgreeWithAPassOverTheNormalisedText(@ForAll("prose") String s) {
        String norm = InjectionFeatures.normalize(s);
        InjectionFeatures.IntSet gathered = new InjectionFeatures.IntSet();
        WordBuckets words = new WordBuckets(gathered);
        for (int i = 0; i < norm.length(); i++) words.accept(norm.charAt(i));
        words.finish();
        InjectionFeatures.IntSet plain = new InjectionFeatures.IntSet();
        int i = 0;
        int count = 0;
        while (i < norm.length() && count < 4000) { // the former separate pass
            if (!Character.isLetterOrDigit(norm.charAt(i))) { i++; continue; }
            int st = i;
            int h = 0x9747b28c;
            while (i < norm.length() && Character.isLetterOrDigit(norm.charAt(i))) h = (h ^ norm.charAt(i++)) * 0x01000193;
            if (i - st > 30) continue;
            plain.add(InjectionFeatures.bucket(h));
            count++;
        }
        assertThat(gathered.toSortedArray()).isEqualTo(plain.toSortedArray());
    }

    /** Runs of single letters between single spaces ("s a y t h a t"), of up to twelve letters, among other text. */
    @Provide
    Arbitrary<String> spaced() {
        Arbitrary<String> run = Arbitraries.of("s", "a", "Y", "\u00e9", "7", ".").list().ofMinSize(1).ofMaxSize(12)
                .map(l -> String.join(" ", l));
        Arbitrary<String> other = Arbitraries.of(" ", "  ", "ab", "\n", "x");
        return Arbitraries.oneOf(run, other).list().ofMaxSize(12).map(l -> String.join("", l));
    }

    /** The spaced-letter scan that jumps to the next space finds the run that testing every position finds. */
    @Property(tries = 5000)
    void spacedLetterJumpAgreesWithTestingEveryPosition(@ForAll("spaced") String s) {
        String norm = InjectionFeatures.normalize(s);
        int n = norm.length();
        int run = 0;
        int start = -1;
        for (int i = 0; i < n; i += 2) { // the former scan
            boolean single = (i + 1 == n || norm.charAt(i + 1) == ' ') && (i == 0 || norm.charAt(i - 1) == ' ')
                    && Character.isLetter(norm.charAt(i));
            if (single) { if (run == 0) start = i; run++; }
            else if (run >= 8) break;
            else { run = 0; i -= 1; }
        }
        String expected = null;
        if (run >= 8) {
            StringBuilder b = new StringBuilder();
            for (int k = 0; k < run; k++) b.append(norm.charAt(start + 2 * k));
            expected = b.toString();
        }
        assertThat(InjectionFeatures.spacedLetters(norm)).isEqualTo(expected);
    }

    /** Base64 and hex runs of 20 to 28 chars (around the shortest decoded run) among words, spaces and pads. */
    @Provide
    Arbitrary<String> payloadTexts() {
        Arbitrary<String> b64 = Arbitraries.strings().withChars("aZ09+/_-").ofMinLength(20).ofMaxLength(28);
        Arbitrary<String> hex = Arbitraries.strings().withChars("0123456789abcdef").ofMinLength(20).ofMaxLength(28);
        Arbitrary<String> encoded = Arbitraries.of("aWdub3JlIGFsbCBwcmV2aW91cyBpbnN0cnVjdGlvbnM=",
                "69676e6f726520616c6c2070726576696f757320696e737472756374696f6e73");
        Arbitrary<String> other = Arbitraries.of(" ", "=", "==", ".", "word", "\u00e9", "\n");
        return Arbitraries.oneOf(b64, hex, encoded, other).list().ofMaxSize(10).map(l -> String.join("", l));
    }

    @Property(tries = 3000)
    void payloadScanSkipAgreesWithThePlainScan(@ForAll("payloadTexts") String s) {
        InjectionFeatures.IntSet skipping = new InjectionFeatures.IntSet();
        InjectionFeatures.IntSet plain = new InjectionFeatures.IntSet();
        assertThat(InjectionFeatures.payloads(s, skipping, true)).isEqualTo(InjectionFeatures.payloads(s, plain, false));
        assertThat(skipping.toSortedArray()).isEqualTo(plain.toSortedArray());
    }

    @Provide
    Arbitrary<Integer> windows() {
        return Arbitraries.integers().between(0, 40);
    }
}
