package dev.bastion.inspect;

import java.util.List;

/**
 * Drops or trims the token tagger's PERSON / LOCATION / ORGANIZATION findings that are words of an instruction
 * rather than names: the verb opening a prompt ("Summarise this email", "Mark this test as flaky"), a code
 * identifier ("UserService", "getWeather(…)") and a time or number ("5pm"). The tagger learnt from prose where a
 * capitalised word at a sentence start is often a name; developer prompts start with imperatives.
 */
final class InstructionWords {
    private InstructionWords() {}

    private static final int NAME_FLAGS = GazetteerEntityRecognizer.FIRST | GazetteerEntityRecognizer.LAST
            | GazetteerEntityRecognizer.CITY | GazetteerEntityRecognizer.COUNTRY | GazetteerEntityRecognizer.STATE;

    /** Words that follow an imperative verb but hardly ever a name: "Mark this …", "Bill the …", "Add logging to …". */
    private static final WordTable OBJECT_WORDS = WordTable.builder()
            .addAll(List.of("the", "this", "that", "these", "those", "a", "an", "my", "our", "your", "its", "their", "it",
                    "me", "us", "them", "all", "every", "each", "some", "any", "up", "out"), 1)
            .build();

    /**
     * Imperative verbs that the name lists also hold ("Mark", "Bill", "Grant"): at a sentence start and followed by
     * a lower-case word without a person cue ("Mark said"), they open an instruction.
     */
    private static final WordTable VERB_NAMES = WordTable.builder()
            .addAll(List.of("add", "bill", "block", "chase", "comment", "edit", "grant", "hunt", "link", "mark", "page",
                    "post", "read", "rob", "roll", "skip", "split", "trace"), 1)
            .build();

    /** Adds {@code f} to {@code out} unless it is an instruction word. */
    static void add(GazetteerEntityRecognizer g, EntityTagger.Tokens tk, Finding f, List<Finding> out) {
        Text t = tk.t;
        if (f.type() != EntityType.PERSON && f.type() != EntityType.LOCATION && f.type() != EntityType.ORGANIZATION) {
            out.add(f);
            return;
        }
        String s = t.value();
        int a = t.tokenAtOrAfter(f.start());
        int b = a;
        while (b < t.tokenCount() && t.tokenStart(b) < f.end()) b++;
        // a name does not run over a comma or a line break: "Contact Jane Doe, jane.doe@…" is the name and the
        // start of an e-mail address, and the address must not swallow the name when overlaps are resolved
        if (f.type() == EntityType.PERSON) {
            for (int k = a + 1; k < b; k++) {
                if (breakBetween(s, t.tokenEnd(k - 1), t.tokenStart(k))) {
                    add(g, tk, new Finding(f.type(), f.start(), t.tokenEnd(k - 1), f.score()), out);
                    add(g, tk, new Finding(f.type(), t.tokenStart(k), f.end(), f.score()), out);
                    return;
                }
            }
        }
        // a time or number alone is never a name: "at 5pm"
        if (b == a + 1 && Chars.isDigit(s.charAt(t.tokenStart(a)))) return;
        for (int k = a; k < b; k++) if (codeIdentifier(g, t, k)) return;
        if (b == a + 1 && t.tokenEnd(a) - t.tokenStart(a) > 2 && GazetteerEntityRecognizer.sentenceStart(s, t.tokenStart(a))) {
            int fa = g.flags(t, a);
            if ((fa & GazetteerEntityRecognizer.WORD) != 0 && (fa & NAME_FLAGS) == 0) return; // "Summarise …"
            if (followedByObject(t, a)) return; // "Mark this test …"
            if (VERB_NAMES.contains(s, t.tokenStart(a), t.tokenEnd(a)) && lowerCaseNext(t, a)
                    && !GazetteerEntityRecognizer.personCueAfter(s, t.tokenEnd(a))) return; // "Add logging …"
        }
        EntityType type = f.type();
        // a city or country the rules placed by its gazetteer entry stays a place, whatever "for" suggests to the
        // tagger: "the weather tool for Paris"
        if (b == a + 1 && type == EntityType.ORGANIZATION && tk.rule[a] == EntityTagger.labelOf(EntityType.LOCATION)
                && (g.flags(t, a) & (GazetteerEntityRecognizer.CITY | GazetteerEntityRecognizer.COUNTRY)) != 0) {
            type = EntityType.LOCATION;
        }
        out.add(type == f.type() ? f : new Finding(type, f.start(), f.end(), f.score()));
    }

    private static boolean breakBetween(String s, int from, int to) {
        for (int k = from; k < to; k++) if (s.charAt(k) == ',' || s.charAt(k) == ';' || s.charAt(k) == '\n') return true;
        return false;
    }

    private static boolean lowerCaseNext(Text t, int i) {
        return i + 1 < t.tokenCount() && t.tokenStart(i + 1) - t.tokenEnd(i) == 1 && t.charAt(t.tokenEnd(i)) == ' '
                && Character.isLowerCase(t.charAt(t.tokenStart(i + 1)));
    }

    private static boolean followedByObject(Text t, int i) {
        return i + 1 < t.tokenCount() && t.tokenStart(i + 1) - t.tokenEnd(i) == 1 && t.charAt(t.tokenEnd(i)) == ' '
                && OBJECT_WORDS.contains(t.value(), t.tokenStart(i + 1), t.tokenEnd(i + 1));
    }

    /**
     * "UserService", "HashMap" (every part of the camel case is an English word), or a word directly followed by
     * "(" ("Summarize(" in code).
     */
    static boolean codeIdentifier(GazetteerEntityRecognizer g, Text t, int i) {
        String s = t.value();
        int st = t.tokenStart(i), en = t.tokenEnd(i);
        if (en < s.length() && s.charAt(en) == '(') return true;
        int from = st;
        int parts = 0;
        for (int k = st + 1; k <= en; k++) {
            if (k == en || Character.isUpperCase(s.charAt(k)) && Character.isLowerCase(s.charAt(k - 1))) {
                if (k - from < 3 || (g.wordFlags(s, from, k) & GazetteerEntityRecognizer.WORD) == 0) return false;
                parts++;
                from = k;
            }
        }
        return parts >= 2;
    }
}
