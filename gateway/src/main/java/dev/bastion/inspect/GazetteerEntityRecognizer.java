package dev.bastion.inspect;

import java.util.List;

/**
 * PERSON, LOCATION, ORGANIZATION and STREET_ADDRESS without a model: runs of capitalised tokens are classified by
 * embedded gazetteers (first and last names, cities, countries, states from Python Faker's MIT-licensed lists; an
 * English vocabulary from SCOWL to tell ordinary words from names), organisation and street words, and cue words
 * around the run ("my name is", "in", "works at"). Addresses are anchored on a house number next to a street word.
 * One pass over the tokens; each run is classified with a bounded look-around.
 */
public final class GazetteerEntityRecognizer implements EntityRecognizer {
    static final int FIRST = 1, LAST = 2, CITY = 4, COUNTRY = 8, STATE = 16, WORD = 32, PROPER = 64, ORG = 128,
            TITLE = 256, STREET = 512, UNIT = 1024, PARTICLE = 2048, CO_SUFFIX = 4096, STREET_SUFFIX = 8192;

    private static final Cues PERSON_BEFORE = Cues.before("name is ", "name's ", "i'm ", "i am ", "hi ", "hello ", "dear ",
            "called ", "call me ", "named ", "with ", "says ", "said ", "by ", "thanks ", "regards,\n", "ask ", "tell ",
            "contact ", "and ", "guardian ", "meet ", "calls me ", "add ", "starring ", "to ", "directed by ",
            "assistant to ", "as ", "name? ", "name: ", "name:\n", "ms. ", "mr. ", "mrs. ", "kid ", "son ", "daughter ",
            "wife ", "husband ", "brother ", "sister ", "mother ", "father ", "friend ", "player ", "under ");
    private static final Cues PERSON_AFTER = Cues.after(" says", " said", " is a", " was ", " had ", " told", " asked",
            "'s ", " and i", " is my", " spent", " began", " calls", " who", " lives", " lived", " is from", ", can ",
            " works", " will ", " wants", " were ", " has ", " and his", " and her", " went", " flew", " called");
    private static final Cues LOC_BEFORE = Cues.before("in ", "from ", "near ", "visit ", "visiting ", "city of ", "country ",
            "travelling to ", "traveling to ", "moved to ", "lives in ", "born in ", "based in ", "arrived at ",
            "flew to ", "trip to ", "to ", "across ", "serving ", "of ");
    private static final Cues ORG_BEFORE = Cues.before("at ", "for ", "works at ", "work at ", "joined ", "company ",
            "employer ", "working for ", "address of ", "the ");
    private static final Cues ORG_AFTER = Cues.after(" website", " company", " employees", " invested", " announced",
            " orchestra", " inc", " team", " group", " headquarters", " customer", " account");

    private static final java.util.Set<String> PLACE_PREFIX = java.util.Set.of("north", "south", "east", "west", "new",
            "port", "saint", "st", "san", "santa", "lake", "mount", "fort", "los", "las", "el", "upper", "lower", "little",
            "great", "bad", "sankt", "sainte", "puerto", "porto", "villa", "castel");

    private final WordTable words;

    private static final class Holder {
        static final GazetteerEntityRecognizer RULES = new GazetteerEntityRecognizer(load(), null, null);
        static final GazetteerEntityRecognizer STANDARD = new GazetteerEntityRecognizer(RULES.words, RULES.plainCountries,
                EntityTagger.standard());
    }

    private final AddressScanner addresses = new AddressScanner(this);
    private final EntityTagger tagger;

    /** Country names that are not also English words: the only lower-case words looked up outside a name. */
    private final WordTable plainCountries;

    private GazetteerEntityRecognizer(WordTable words, WordTable plainCountries, EntityTagger tagger) {
        this.words = words;
        this.tagger = tagger;
        if (plainCountries == null) {
            WordTable.Builder b = WordTable.builder();
            for (String c : WordTable.lines("/dev/bastion/inspect/gazetteer/countries.txt")) {
                if ((words.get(c, 0, c.length()) & (WORD | PROPER)) == 0) b.add(c, COUNTRY);
            }
            plainCountries = b.build();
        }
        this.plainCountries = plainCountries;
    }

    /**
     * The recognizer over the embedded lists (loaded once, about 100k entries) with the embedded token tagger
     * stacked on the rules.
     */
    public static GazetteerEntityRecognizer standard() { return Holder.STANDARD; }

    /** The rules alone, without the token tagger (cheaper, lower recall). */
    public static GazetteerEntityRecognizer rulesOnly() { return Holder.RULES; }

    private static WordTable load() {
        String dir = "/dev/bastion/inspect/gazetteer/";
        WordTable.Builder b = WordTable.builder()
                .resource(dir + "first_names.txt", FIRST)
                .resource(dir + "last_names.txt", LAST)
                .resource(dir + "cities.txt", CITY)
                .resource(dir + "world_cities.txt", CITY)
                .resource(dir + "countries.txt", COUNTRY)
                .resource(dir + "states.txt", STATE)
                .resource(dir + "english_words.txt", WORD)
                .resource(dir + "dev_words.txt", WORD)
                .resource(dir + "english_proper.txt", PROPER)
                .resource(dir + "org_words.txt", ORG)
                .resource(dir + "company_suffixes.txt", CO_SUFFIX)
                .resource(dir + "person_titles.txt", TITLE)
                .resource(dir + "secondary_address.txt", UNIT)
                .resource(dir + "street_suffixes.txt", STREET_SUFFIX);
        // British spellings of the vocabulary's -ize/-yze words ("Summarise", "Analyse" opening an instruction)
        for (String w : WordTable.lines(dir + "english_words.txt")) {
            String uk = britishSpelling(w);
            if (uk != null) b.add(uk, WORD);
        }
        for (String w : WordTable.lines(dir + "street_words.txt")) {
            if (!w.startsWith("-")) b.add(w, STREET);
        }
        for (String p : new String[]{"van", "von", "de", "der", "den", "da", "del", "della", "di", "la", "le", "du",
                "dos", "das", "do", "bin", "al", "el", "ten", "ter", "y", "zu", "af", "av"}) {
            b.add(p, PARTICLE);
        }
        return b.build();
    }

    private static final String[] IZE_ENDINGS = {"ize", "izes", "ized", "izing", "ization", "izations", "izer", "izers",
            "yze", "yzes", "yzed", "yzing", "yzer", "yzers"};

    /** "summarize" → "summarise", "analyzed" → "analysed"; null when the word has no such ending. */
    static String britishSpelling(String w) {
        for (String e : IZE_ENDINGS) {
            if (w.length() >= e.length() + 2 && w.endsWith(e)) {
                int z = w.length() - e.length() + 1;
                return w.substring(0, z) + 's' + w.substring(z + 1);
            }
        }
        return null;
    }

    @Override
    public String name() { return "gazetteer_ner"; }

    /** Score of the tagger's findings: above the default minimum, below the checksum-validated patterns. */
    static final double TAGGER_SCORE = 0.7;

    @Override
    public void detect(Text t, List<Finding> out) {
        if (tagger == null) {
            int start = out.size();
            rules(t, out);
            NotEntities.filter(t, out, start, lists);
            return;
        }
        List<Finding> rules = new java.util.ArrayList<>();
        rules(t, rules);
        EntityTagger.Tokens tk = new EntityTagger.Tokens(t, this, rules);
        List<Finding> tagged = new java.util.ArrayList<>();
        EntityTagger.emit(tk, tagger.tag(tk), TAGGER_SCORE, tagged);
        int from = out.size();
        for (Finding f : tagged) InstructionWords.add(this, tk, f, out);
        keepStrongRuleNames(rules, out, from);
        NotEntities.filter(t, out, from, lists);
    }

    /**
     * A confident rule name (first name + last name, honorific + name, …) that no tagger finding in out[from, …)
     * overlaps, nor a rule name kept before it, is kept. The tagger's findings come in text order without
     * overlaps, so the one that could overlap a name is found by binary search, and rule names come in text order,
     * so only the furthest end of the ones kept so far matters: linear time however many names and findings there
     * are. Should either order not hold, the plain pairwise test is used (same answer, slower).
     */
    private static void keepStrongRuleNames(List<Finding> rules, List<Finding> out, int from) {
        int tagged = out.size();
        boolean ordered = true;
        for (int k = from + 1; k < tagged && ordered; k++) ordered = out.get(k - 1).end() <= out.get(k).start();
        int lastStart = Integer.MIN_VALUE;
        int keptEnd = Integer.MIN_VALUE;
        for (Finding r : rules) {
            if (r.type() != EntityType.PERSON || r.score() < STRONG_RULE) continue;
            boolean covered = ordered ? overlapsOrdered(out, from, tagged, r) : overlapsAny(out, from, tagged, r);
            if (!covered) {
                covered = r.start() >= lastStart ? keptEnd > r.start() : overlapsAny(out, tagged, out.size(), r);
            }
            lastStart = Math.max(lastStart, r.start());
            if (!covered) {
                out.add(new Finding(r.type(), r.start(), r.end(), TAGGER_SCORE));
                keptEnd = Math.max(keptEnd, r.end());
            }
        }
    }

    /** Whether a finding of out[a, b), sorted and without overlaps, overlaps r. */
    private static boolean overlapsOrdered(List<Finding> out, int a, int b, Finding r) {
        int lo = a, hi = b; // first index whose end lies after r's start
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (out.get(mid).end() > r.start()) hi = mid; else lo = mid + 1;
        }
        return lo < b && out.get(lo).start() < r.end();
    }

    private static boolean overlapsAny(List<Finding> out, int a, int b, Finding r) {
        for (int k = a; k < b; k++) if (out.get(k).start() < r.end() && r.start() < out.get(k).end()) return true;
        return false;
    }

    /** Rule score from which a PERSON finding stands even when the tagger disagrees. */
    private static final double STRONG_RULE = 0.85;

    /** Flags of s[from, to) as one gazetteer entry. */
    int wordFlags(String s, int from, int to) { return words.get(s, from, to); }

    /** Whether a person cue (" said", " is a", …) starts at {@code pos}. */
    static boolean personCueAfter(String s, int pos) { return PERSON_AFTER.at(s, pos); }

    /** The hand-written rules: findings of PERSON, LOCATION, ORGANIZATION and STREET_ADDRESS. */
    void rules(Text t, List<Finding> out) {
        String s = t.value();
        int n = t.tokenCount();
        int i = 0;
        while (i < n) {
            int st = t.tokenStart(i);
            int cls = t.tokenClass(i); // the first char's class bits, from the tokenizer
            if ((cls & Text.FIRST_DIGIT) != 0) {
                int end = addresses.address(t, i);
                double score = 0.8;
                if (end == i) { end = addresses.numberThenNames(t, i); score = 0.6; }
                if (end > i) {
                    end = addresses.continuation(t, end);
                    out.add(new Finding(EntityType.STREET_ADDRESS, st, t.tokenEnd(end - 1), score));
                    i = end;
                    continue;
                }
                i++;
                continue;
            }
            // "Apt. 935", "Suite 727", "Studio 91d" opening an address line; "rue Carlier", "aleja Paderewskiego 079"
            // (only when the next token starts with a digit or a capital: saves a word lookup for most lower-case words)
            if (i + 1 < n && (t.tokenClass(i + 1) & (Text.FIRST_DIGIT | Text.UPPER)) != 0
                    && ((cls & Text.UPPER) != 0 && (flags(t, i) & UNIT) != 0 || (cls & Text.LOWER) != 0 && (flags(t, i) & STREET) != 0
                    && !ordinaryWord(flags(t, i) & ~STREET)) && i + 1 < t.tokenCount() && AddressScanner.sameLine(s, t.tokenEnd(i), t.tokenStart(i + 1))) {
                char d = s.charAt(t.tokenStart(i + 1));
                int end = -1;
                if ((flags(t, i) & UNIT) != 0 && Chars.isDigit(d)) end = i + 2;
                else if ((flags(t, i) & STREET) != 0 && Character.isUpperCase(d)) {
                    end = run(t, i + 1);
                    if (end < t.tokenCount() && Chars.isDigit(s.charAt(t.tokenStart(end))) && AddressScanner.sameLine(s, t.tokenEnd(end - 1), t.tokenStart(end))
                            && t.tokenEnd(end) - t.tokenStart(end) <= 5) end = addresses.extend(t, end + 1);
                }
                if (end > i) {
                    end = addresses.continuation(t, end);
                    out.add(new Finding(EntityType.STREET_ADDRESS, st, t.tokenEnd(end - 1), 0.7));
                    i = end;
                    continue;
                }
            }
            if ((cls & Text.UPPER) == 0) {
                // lower-case country names ("tunisia") only after a place preposition: keeps the common path cheap
                if (i > 0 && t.tokenEnd(i) - st > 3 && (cls & Text.LETTER) != 0 && placePreposition(t, i - 1)
                        && plainCountries.contains(s, st, t.tokenEnd(i))) {
                    out.add(new Finding(EntityType.LOCATION, st, t.tokenEnd(i), 0.6));
                }
                i++;
                continue;
            }
            int streetEnd = addresses.streetFirst(t, i);
            double streetScore = 0.8;
            if (streetEnd == i) { streetEnd = addresses.namesThenNumber(t, i); streetScore = 0.6; }
            if (streetEnd > i) {
                streetEnd = addresses.continuation(t, streetEnd);
                out.add(new Finding(EntityType.STREET_ADDRESS, st, t.tokenEnd(streetEnd - 1), streetScore));
                i = streetEnd;
                continue;
            }
            int runEnd = run(t, i);
            if (runEnd < t.tokenCount() && Character.isLowerCase(s.charAt(t.tokenStart(runEnd)))
                    && (flags(t, runEnd) & STREET) != 0 && AddressScanner.sameLine(s, t.tokenEnd(runEnd - 1), t.tokenStart(runEnd))
                    && !ordinaryWord(flags(t, i))) {
                int end = addresses.continuation(t, addresses.extend(t, runEnd + 1));
                out.add(new Finding(EntityType.STREET_ADDRESS, st, t.tokenEnd(end - 1), 0.7));
                i = end;
                continue;
            }
            if (allCapsRun(t, i, runEnd)) {
                int e = place(t, i, runEnd);
                if (e > i) emit(out, t, i, e, EntityType.LOCATION, 0.7);
                i = Math.max(e, i + 1);
                continue;
            }
            int firm = firm(t, i, runEnd);
            if (firm > runEnd) {
                emit(out, t, i, firm, EntityType.ORGANIZATION, 0.8);
                i = firm;
                continue;
            }
            classify(t, i, runEnd, out);
            i = runEnd;
        }
    }

    private static boolean placePreposition(Text t, int i) {
        int len = t.tokenEnd(i) - t.tokenStart(i);
        if (len != 2 && len != 4) return false;
        return (t.tokenIs(i, "in") || t.tokenIs(i, "to") || t.tokenIs(i, "from") || t.tokenIs(i, "near"));
    }

    int flags(Text t, int i) {
        int m = t.memo(i);
        if (m != Integer.MIN_VALUE) return m;
        int f = lookup(t, i);
        t.memo(i, f);
        return f;
    }

    private int lookup(Text t, int i) {
        String s = t.value();
        int st = t.tokenStart(i);
        int en = t.tokenEnd(i);
        // "Kevin's" / "I'm" / "DON'T": look up the part before the apostrophe
        for (int k = st + 1; k < en; k++) {
            char c = s.charAt(k);
            if (c == '\'' || c == '\u2019') {
                if (k == st + 1 && (s.charAt(st) == 'I' || s.charAt(st) == 'i')) return WORD;
                int f = words.get(s, st, k);
                return en - k <= 3 ? f : f | WORD;
            }
        }
        return words.get(s, st, en);
    }

    /** End (exclusive token index) of a run of capitalised tokens joined by single spaces, hyphens or particles. */
    int run(Text t, int i) {
        String s = t.value();
        int n = t.tokenCount();
        int j = i + 1;
        while (j < n && j - i < 6) {
            if (endWithoutPossessive(t, j - 1) != t.tokenEnd(j - 1)) break; // "Young's Cautionary Tales"
            int gapStart = t.tokenEnd(j - 1);
            int gapEnd = t.tokenStart(j);
            if (!simpleGap(s, gapStart, gapEnd)) break;
            if (Character.isUpperCase(s.charAt(gapEnd))) { j++; continue; }
            // particle inside a name: "Ludwig van Beethoven", "Rue de Piétrain"
            if (t.tokenEnd(j) - gapEnd <= 5 && j + 1 < n && Character.isUpperCase(s.charAt(t.tokenStart(j + 1)))
                    && (flags(t, j) & PARTICLE) != 0
                    && simpleGap(s, t.tokenEnd(j), t.tokenStart(j + 1))) { j += 2; continue; }
            break;
        }
        return j;
    }

    private static boolean allCapsRun(Text t, int a, int b) {
        for (int k = a; k < b; k++) {
            if (!t.allCaps(k) && !(t.tokenEnd(k) - t.tokenStart(k) == 1 && b - a > 1)) return false;
        }
        return true;
    }

    /** "Stone, Harrington and Williamson", "Coolen, de Smit and van der Velden": a firm name; returns end or b. */
    private int firm(Text t, int a, int b) {
        String s = t.value();
        int n = t.tokenCount();
        if (b + 1 < n && (t.tokenIs(b, "and") || s.startsWith(" & ", t.tokenEnd(b - 1)))
                && (t.tokenIs(b, "and") ? (flags(t, b + 1) & ORG) != 0 && Character.isUpperCase(s.charAt(t.tokenStart(b + 1)))
                    : Character.isUpperCase(s.charAt(t.tokenStart(b))))) {
            return t.tokenIs(b, "and") ? b + 2 : run(t, b);
        }
        if (b >= n || !s.startsWith(", ", t.tokenEnd(b - 1))) return b;
        int c = run(t, b);
        if (!Character.isUpperCase(s.charAt(t.tokenStart(b))) && (flags(t, b) & PARTICLE) == 0) return b;
        if (c >= n || !t.tokenIs(c, "and") && !t.tokenIs(c, "e") && !t.tokenIs(c, "und") && !t.tokenIs(c, "en")
                && !t.tokenIs(c, "et") && !t.tokenIs(c, "y")) return b;
        if (c + 1 >= n || t.tokenStart(c) - t.tokenEnd(c - 1) != 1) return b;
        int d = c + 1;
        while (d < n && (flags(t, d) & PARTICLE) != 0 && !Character.isUpperCase(s.charAt(t.tokenStart(d)))) d++;
        if (d >= n || !Character.isUpperCase(s.charAt(t.tokenStart(d)))) return b;
        return run(t, d);
    }

    /** One space, or an initial's dot and space ("P. "), or "&": the tokens belong together. */
    private static boolean simpleGap(String s, int from, int to) {
        int len = to - from;
        if (len == 1) return s.charAt(from) == ' ';
        if (len == 2) return s.charAt(from) == '.' && s.charAt(from + 1) == ' ' && from >= 1
                && (from < 2 || !Character.isLetter(s.charAt(from - 2)));
        if (len == 3) return s.charAt(from) == ' ' && s.charAt(from + 1) == '&' && s.charAt(from + 2) == ' ';
        return false;
    }

    private void classify(Text t, int a, int b, List<Finding> out) {
        String s = t.value();
        // honorific: "Mr. Ferko Takáts" -> the name after it
        int fa = flags(t, a);
        if ((fa & TITLE) != 0 && b > a + 1) {
            emit(out, t, a + 1, b, EntityType.PERSON, 0.85);
            return;
        }
        if ((fa & TITLE) != 0 && b == a + 1 && a + 1 < t.tokenCount() && titleFollowedByName(t, a)) {
            int e = run(t, a + 1);
            emit(out, t, a + 1, e, EntityType.PERSON, 0.85);
            return;
        }
        // a title just before the run, in any case: "ms. Parin", "pan Mikołaj Padło", "Sig. Emidio D'amico"
        if (a > 0 && (flags(t, a - 1) & TITLE) != 0 && t.tokenStart(a) - t.tokenEnd(a - 1) <= 2 && (fa & TITLE) == 0) {
            emit(out, t, a, b, EntityType.PERSON, 0.8);
            return;
        }
        boolean initial = sentenceStart(s, t.tokenStart(a));
        // organisation: a run ending in an organisation word or company suffix
        for (int k = b - 1; k > a; k--) {
            if ((flags(t, k) & (ORG | CO_SUFFIX)) != 0 && !t.allCaps(k) || t.tokenIs(k, "LLC") || t.tokenIs(k, "GmbH")) {
                int from = a;
                while (from < k && initial && ordinaryWord(flags(t, from)) && (flags(t, from) & (FIRST | LAST)) == 0) from++;
                if (from < k) { emit(out, t, from, k + 1, EntityType.ORGANIZATION, 0.85); if (k + 1 < b) classify(t, k + 1, b, out); return; }
            }
        }
        // places: the longest gazetteer match from the start of the run
        int locEnd = place(t, a, b);
        if (locEnd > a) {
            int pf = locEnd == a + 1 ? flags(t, a) : words.get(s, t.tokenStart(a), t.tokenEnd(locEnd - 1));
            boolean person = (pf & (FIRST | LAST)) != 0 && locEnd == a + 1
                    && (cue(s, t.tokenStart(a), PERSON_BEFORE) || after(s, t.tokenEnd(a), PERSON_AFTER)
                        || b > a + 1 && (flags(t, a + 1) & LAST) != 0);
            if (!person && !(initial && ordinaryWord(pf) && locEnd == a + 1 && !cue(s, t.tokenStart(a), LOC_BEFORE))) {
                double score = (pf & COUNTRY) != 0 ? 0.85 : 0.7;
                emit(out, t, a, locEnd, EntityType.LOCATION, score);
                if (locEnd < b) classify(t, locEnd, b, out);
                return;
            }
        }
        // "West Marcusside", "Port Paien": a place prefix before an unknown capitalised word
        if (b > a + 1 && PLACE_PREFIX.contains(s.substring(t.tokenStart(a), t.tokenEnd(a)).toLowerCase(java.util.Locale.ROOT))
                && !ordinaryWord(flags(t, a + 1)) && (flags(t, a + 1) & FIRST) == 0) {
            emit(out, t, a, b, EntityType.LOCATION, 0.65);
            return;
        }
        // people: first name + more, or name-like tokens throughout
        int fa0 = fa;
        if (initial && b > a && ordinaryWord(fa0) && (fa0 & FIRST) == 0 && ((fa0 & LAST) == 0 || b == a + 1)) {
            if (b > a + 1) classify(t, a + 1, b, out);
            return;
        }
        if (b - a >= 2) {
            int namey = 0;
            for (int k = a; k < b; k++) if ((flags(t, k) & (FIRST | LAST)) != 0 || !ordinaryWord(flags(t, k))) namey++;
            if ((fa & FIRST) != 0 || namey == b - a) {
                boolean strong = (fa & FIRST) != 0 && !ordinaryWord(fa) || (flags(t, b - 1) & LAST) != 0;
                if (strong || cue(s, t.tokenStart(a), PERSON_BEFORE)) {
                    emit(out, t, a, b, EntityType.PERSON, strong ? 0.85 : 0.65);
                    return;
                }
            }
        }
        // single token (or a run of unknown words)
        int f = fa;
        boolean ordinary = ordinaryWord(f);
        boolean personCue = cue(s, t.tokenStart(a), PERSON_BEFORE) || after(s, t.tokenEnd(b - 1), PERSON_AFTER);
        if ((f & FIRST) != 0 && (!ordinary || personCue)) {
            emit(out, t, a, b, EntityType.PERSON, ordinary ? 0.6 : 0.75);
            return;
        }
        if (ordinary && b == a + 1 && cue(s, t.tokenStart(a), STRONG_PERSON_BEFORE) && !t.allCaps(a)) {
            emit(out, t, a, b, EntityType.PERSON, 0.6);
            return;
        }
        if ((f & LAST) != 0 && !ordinary) {
            emit(out, t, a, b, EntityType.PERSON, personCue ? 0.7 : 0.6);
            return;
        }
        if (b > a + 1 && !t.allCaps(a)) {
            // a run with unknown words: typed by the words around it, as a whole
            int unknown = 0;
            for (int k = a; k < b; k++) if (!ordinaryWord(flags(t, k)) && !t.allCaps(k)) unknown++;
            if (unknown > 0 && !(initial && ordinary && unknown == 1 && (flags(t, b - 1) & (FIRST | LAST)) == 0)) {
                if (cue(s, t.tokenStart(a), LOC_BEFORE) && !cue(s, t.tokenStart(a), ORG_BEFORE)) {
                    emit(out, t, a, b, EntityType.LOCATION, 0.6);
                    return;
                }
                if (personCue) { emit(out, t, a, b, EntityType.PERSON, 0.6); return; }
                if (cue(s, t.tokenStart(a), ORG_BEFORE) || after(s, t.tokenEnd(b - 1), ORG_AFTER)) {
                    emit(out, t, a, b, EntityType.ORGANIZATION, 0.6);
                    return;
                }
            }
        }
        if (ordinary || t.allCaps(a) || (f & TITLE) != 0) {
            if (b > a + 1) classify(t, a + 1, b, out);
            return;
        }
        // a speaker label at the start of a line: "Rekbor: Remember me"
        if (initial && b == a + 1 && t.tokenEnd(a) < s.length() && s.charAt(t.tokenEnd(a)) == ':'
                && sentenceStart(s, t.tokenStart(a)) && lineStart(s, t.tokenStart(a))) {
            emit(out, t, a, b, EntityType.PERSON, 0.55);
            return;
        }
        // alone on its line in a letterhead or signature block: "Kaberka", "Ixbor"
        if (lineStart(s, t.tokenStart(a)) && lineEnds(s, t.tokenEnd(b - 1))) {
            emit(out, t, a, b, EntityType.ORGANIZATION, 0.55);
            return;
        }
        if (initial && !personCue && b == a + 1) return;
        // an unknown proper noun: type it by its cues
        if (cue(s, t.tokenStart(a), ORG_BEFORE) || after(s, t.tokenEnd(b - 1), ORG_AFTER)) {
            emit(out, t, a, b, EntityType.ORGANIZATION, 0.55);
        } else if (personCue) {
            emit(out, t, a, b, EntityType.PERSON, 0.6);
        } else if (cue(s, t.tokenStart(a), LOC_BEFORE)) {
            emit(out, t, a, b, EntityType.LOCATION, 0.55);
        } else {
            emit(out, t, a, b, EntityType.ORGANIZATION, 0.5);
        }
    }

    private boolean titleFollowedByName(Text t, int a) {
        String s = t.value();
        int gap = t.tokenStart(a + 1) - t.tokenEnd(a);
        return gap <= 2 && Character.isUpperCase(s.charAt(t.tokenStart(a + 1)));
    }

    private final NotEntities.Words lists = new NotEntities.Words() {
        @Override
        public boolean plainWord(String w) {
            int f = words.get(w, 0, w.length());
            return (f & WORD) != 0 && (f & (FIRST | LAST | CITY | COUNTRY | STATE)) == 0;
        }

        @Override
        public boolean knownName(String w) {
            return (words.get(w, 0, w.length()) & (FIRST | LAST)) != 0;
        }
    };

    /** A word the English vocabulary knows and the name lists do not force: "Please", "Bank", "Will". */
    static boolean ordinaryWord(int f) {
        return (f & (WORD | PROPER)) != 0;
    }

    /** Longest run prefix [a, e) that is a city, country or state; a when none. Looks at up to 4 tokens. */
    private int place(Text t, int a, int b) {
        String s = t.value();
        for (int e = Math.min(b, a + 4); e > a; e--) {
            int f = e == a + 1 ? flags(t, a) : words.get(s, t.tokenStart(a), t.tokenEnd(e - 1));
            if ((f & (CITY | COUNTRY)) != 0 || (f & STATE) != 0 && t.tokenEnd(e - 1) - t.tokenStart(a) > 2) return e;
        }
        return a;
    }

    private void emit(List<Finding> out, Text t, int a, int b, EntityType type, double score) {
        if (b <= a) return;
        out.add(new Finding(type, t.tokenStart(a), endWithoutPossessive(t, b - 1), score));
    }

    /** End of token i without a trailing possessive "'s" ("Jenny's" → "Jenny"). */
    static int endWithoutPossessive(Text t, int i) {
        int en = t.tokenEnd(i);
        char a = t.charAt(en - 2 < 0 ? 0 : en - 2);
        return en - t.tokenStart(i) > 3 && (t.charAt(en - 1) == 's' || t.charAt(en - 1) == 'S') && (a == '\'' || a == '\u2019') ? en - 2 : en;
    }

    private static final Cues STRONG_PERSON_BEFORE = Cues.before("name is ", "hi ", "hello ", "dear ", "called ", "named ",
            "ms. ", "mr. ", "mrs. ", "dr. ");

    private static boolean lineEnds(String s, int pos) {
        int k = pos;
        while (k < s.length() && (s.charAt(k) == ' ' || s.charAt(k) == '\t' || s.charAt(k) == '\r')) k++;
        return k >= s.length() || s.charAt(k) == '\n';
    }

    private static boolean lineStart(String s, int pos) {
        int k = pos - 1;
        while (k >= 0 && (s.charAt(k) == ' ' || s.charAt(k) == '\t')) k--;
        return k < 0 || s.charAt(k) == '\n';
    }

    static boolean sentenceStart(String s, int pos) {
        int k = pos - 1;
        while (k >= 0 && (s.charAt(k) == ' ' || s.charAt(k) == '"' || s.charAt(k) == '\'' || s.charAt(k) == '('
                || s.charAt(k) == '\u201c' || s.charAt(k) == '*' || s.charAt(k) == '\t')) k--;
        if (k < 0) return true;
        char c = s.charAt(k);
        return c == '.' || c == '!' || c == '?' || c == '\n' || c == ':' || c == '>' || c == '-' || c == '\u2022';
    }

    private static boolean cue(String s, int pos, Cues before) {
        return before.at(s, pos);
    }

    private static boolean after(String s, int pos, Cues after) {
        return after.at(s, pos);
    }
}
