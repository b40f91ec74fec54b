package dev.bastion.inspect;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Drops name, place, organisation and address findings that are labels or identifiers rather than entities: field
 * names and abbreviations ("SSN", "DOB", "Name:"), a word that introduces an id ("Case 77474129", "Pipeline #972314",
 * "SKU 576178821"), code ("Jackson.readTree", "getUserById", "git"), base64 and PEM bodies, one-token "addresses"
 * ("6379", "C57BL/6J"), and methods or institutes named after people ("Newton-Raphson", "Jackson Laboratory" as a
 * PERSON). Runs over the recognizer's findings; each test looks at the finding and a few chars around it.
 */
final class NotEntities {
    private static final Pattern NOT_WORD = Pattern.compile("[^\\p{L}\\p{N}_#]+");
    private NotEntities() {}

    /** Words that are field labels or abbreviations of them, never entities on their own. */
    static final Set<String> LABELS = Set.of("ssn", "dob", "mrn", "pii", "phi", "iban", "bic", "swift", "id", "ids",
            "name", "names", "address", "addresses", "phone", "email", "e", "mail", "zip", "zipcode", "postcode",
            "street", "account", "member", "policy", "passport", "no", "nr", "number", "date", "of", "birth", "sku",
            "cvv", "cvc", "pin", "tin", "ein", "npi", "vin", "imei", "mac", "ip", "url", "api", "dl", "ss", "uid",
            "uuid", "first", "last", "surname", "city", "state", "country", "county", "gender", "sex", "age", "mobile",
            "fax", "tel", "contact", "employer", "company", "organisation", "organization", "title", "username",
            "user", "login", "password", "signature", "nationality", "citizenship", "occupation", "plan", "group",
            "insurance", "license", "licence", "and", "or", "the");

    /** Words that introduce an identifier: "Case 123", "Pipeline #45", "Room 822". */
    static final Set<String> ID_WORDS = Set.of("sku", "case", "order", "pipeline", "run", "job", "room", "item", "build",
            "ticket", "invoice", "chapter", "section", "step", "lot", "part", "model", "version", "release", "flight",
            "port", "ci", "pr", "issue", "commit", "cat", "catalogue", "catalog", "product", "ref", "reference",
            "tracking", "table", "figure", "fig", "page", "row", "column", "grade", "class", "level", "type", "batch",
            "sample", "strain", "test", "phase", "stage", "task", "sprint", "bug", "patch", "node", "cluster", "pod",
            "rack", "zone", "bay", "gate", "platform", "track", "line", "route", "bus", "train", "exhibit", "appendix",
            "annex", "clause", "article", "rule", "form", "revision", "rev", "iteration", "epoch", "card",
            "experiment", "trial", "protocol", "study", "cohort", "plate", "well", "slide", "tube", "vial", "box",
            "shelf", "aisle", "bin", "locker", "desk", "seat", "cabin", "deck", "hall", "wing", "block", "unit",
            "lane", "dock", "terminal", "channel", "episode", "season", "volume", "vol", "edition", "isbn");

    /** Words that introduce an id and never start an address (unlike "Unit", "Lot" or "Block"). */
    private static final Set<String> ADDRESS_NEVER_AFTER = Set.of("ci", "run", "job", "build", "pipeline", "order",
            "invoice", "sku", "case", "ticket", "item", "catalogue", "catalog", "cat", "product", "ref", "reference",
            "tracking", "commit", "issue", "pr", "version", "release", "chapter", "section", "page", "figure", "fig",
            "table", "step", "task", "sprint", "patch", "revision", "rev", "model", "part", "isbn", "episode",
            "season", "volume", "vol", "edition", "batch", "sample", "strain", "experiment", "trial", "study",
            "cohort", "iteration", "epoch");

    private static final Set<String> INSTITUTIONS = Set.of("laboratory", "laboratories", "lab", "labs", "institute",
            "university", "college", "hospital", "clinic", "foundation");

    /** Words after a person's name that make it a method, law or institution, not a person. */
    private static final Set<String> NAMED_THINGS = Set.of("method", "methods", "algorithm", "shuffle", "test", "filter",
            "transform", "equation", "theorem", "distribution", "inequality", "criterion", "law", "effect", "principle",
            "conjecture", "formula", "process", "estimator", "scheme", "lemma", "constant", "function", "integral",
            "iteration", "series", "curve", "index", "score", "scale", "laboratory", "laboratories", "lab", "labs",
            "institute", "university", "college", "hospital", "clinic", "foundation", "center", "centre");

    /**
     * @param plainWord the recognizer's word lists (users type names in lower case too, so only a vocabulary word
     *                  that is no name is dropped for being lower case)
     */
    /** What the recognizer's word lists know about a word. */
    interface Words {
        /** a lower-case vocabulary word that is no known name or place ("git", "timeout"; not "john") */
        boolean plainWord(String w);

        /** a known first or last name ("Britt", "Maj"; not "Raphson") */
        boolean knownName(String w);
    }

    static void filter(Text t, List<Finding> out, int from, Words plainWord) {
        String s = t.value();
        int[] pem = pemRegions(s);
        for (int i = out.size() - 1; i >= from; i--) {
            Finding f = out.get(i);
            if (notAnEntity(s, f, pem, plainWord)) out.remove(i);
            else if (f.type() == EntityType.STREET_ADDRESS && postcodeAlone(s, f)) {
                out.set(i, new Finding(EntityType.ZIP_CODE, f.start(), f.end(), f.score()));
            }
        }
    }

    /** A lone 4–5 digit token the tagger took for an address ("Kamerun 79609") is the postcode of one. */
    private static boolean postcodeAlone(String s, Finding f) {
        String t = s.substring(f.start(), f.end());
        int n = t.length(), d = Chars.digitCount(s, f.start(), f.end());
        // part of a longer code: "3158-612-P"
        if (f.end() + 1 < s.length() && s.charAt(f.end()) == '-' && Character.isLetterOrDigit(s.charAt(f.end() + 1))) return false;
        if ((n == 4 || n == 5) && d == n) return true;
        if (n == 6 && d == 4 && Character.isUpperCase(t.charAt(4)) && Character.isUpperCase(t.charAt(5))) return true; // "3111CB"
        int dash = t.indexOf('-');
        if (dash < 0 || t.indexOf('-', dash + 1) >= 0) return false;
        String a = t.substring(0, dash), b = t.substring(dash + 1);
        // "H-1388", "CH-8001", "24-745", "00250-714", "12345-6789"
        boolean letters = !a.isEmpty() && a.length() <= 2 && a.chars().allMatch(c -> c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z');
        boolean digitsA = !a.isEmpty() && a.chars().allMatch(Character::isDigit);
        boolean digitsB = b.length() >= 3 && b.length() <= 5 && b.chars().allMatch(Character::isDigit);
        return digitsB && (letters || digitsA && a.length() >= 2 && a.length() <= 5);
    }

    static boolean notAnEntity(String s, Finding f, int[] pem, Words lists) {
        EntityType type = f.type();
        if (type != EntityType.PERSON && type != EntityType.LOCATION && type != EntityType.ORGANIZATION
                && type != EntityType.STREET_ADDRESS) return false;
        for (int k = 0; k + 1 < pem.length; k += 2) if (f.start() < pem[k + 1] && pem[k] < f.end()) return true;
        String span = s.substring(f.start(), f.end());
        String[] words = NOT_WORD.split(span); // = span.split(regex), without compiling the regex per finding
        if (words.length == 0) return true;
        if (base64Like(span)) return true;
        if (type == EntityType.STREET_ADDRESS) {
            if (span.strip().indexOf(' ') < 0 && span.indexOf('\n') < 0) {
                // one token: a street name ("Fabrikstorget") stays; digits glued to letters ("C57BL/6J"), digits
                // after a config key or a code ("port: 6379", "CNU-68597") and short numbers ("1") are not addresses
                if (postcodeAlone(s, f)) {
                    char before = prevNonSpace(s, f.start());
                    return before == ':' || before == '=' || before == '-' || before == '#';
                }
                boolean letters = span.chars().anyMatch(Character::isLetter), digit = span.chars().anyMatch(Character::isDigit);
                if (letters) return digit;
                // "Moldova 20 883": the second group of a postcode written with a space
                int k = f.start();
                return !(k > 1 && s.charAt(k - 1) == ' ' && Character.isDigit(s.charAt(k - 2)));
            }
            String first = words[0].toLowerCase(Locale.ROOT), last = words[words.length - 1].toLowerCase(Locale.ROOT);
            return ADDRESS_NEVER_AFTER.contains(first) || INSTITUTIONS.contains(last) || INSTITUTIONS.contains(nextWord(s, f.end()));
        }
        if (words.length == 1 && lowerAsciiWord(words[0]) && lists.plainWord(words[0])) return true;
        // every word a label or abbreviation
        boolean allLabels = true;
        for (String w : words) if (!w.isEmpty() && !LABELS.contains(w.toLowerCase(Locale.ROOT))) { allLabels = false; break; }
        if (allLabels) return true;
        // an id: an introducing word, or nothing but digit-bearing tokens and short codes
        boolean digits = false, codesOnly = true;
        for (String w : words) {
            if (w.isEmpty()) continue;
            boolean hasDigit = w.chars().anyMatch(Character::isDigit) || w.indexOf('#') >= 0;
            digits |= hasDigit;
            if (!hasDigit && !(w.length() <= 4 && w.equals(w.toUpperCase(Locale.ROOT)))) codesOnly = false;
        }
        if (digits && (codesOnly || ID_WORDS.contains(words[0].toLowerCase(Locale.ROOT)))) return true;
        if (nextNonSpace(s, f.end()) == '#' || followedByDigitToken(s, f.end()) && ID_WORDS.contains(words[words.length - 1].toLowerCase(Locale.ROOT))) return true;
        // code: "CNU-68597", "Jackson.readTree", "getUserById", "user_id", "send("
        int e = f.end();
        if (e + 1 < s.length() && (s.charAt(e) == '-' && Character.isDigit(s.charAt(e + 1))
                || s.charAt(e) == '.' && Character.isLowerCase(s.charAt(e + 1)) || s.charAt(e) == '(' || s.charAt(e) == '_')) return true;
        if (f.start() > 0 && s.charAt(f.start() - 1) == '_') return true;
        if (span.indexOf('_') >= 0 || innerCapital(span)) return true;
        // a method or an institution named after people
        if (type == EntityType.PERSON || type == EntityType.ORGANIZATION) {
            // "Newton-Raphson" as a person, "Fisher–Yates" (en dash) as anything: a method named after two people;
            // company names are often "Adams-Bryant", so a plain hyphen keeps an organisation
            boolean pair = words.length == 2 && span.indexOf(' ') < 0 && !words[1].isEmpty() && Character.isUpperCase(words[1].charAt(0));
            boolean names = pair && lists.knownName(words[0]) && lists.knownName(words[1]); // "Maj-Britt", "Smith-Jones"
            if (pair && (span.indexOf('–') > 0 || type == EntityType.PERSON && span.indexOf('-') > 0 && !names)) return true;
            String next = nextWord(s, f.end());
            if (type == EntityType.PERSON && NAMED_THINGS.contains(next)) return true;
            if (type == EntityType.ORGANIZATION && NAMED_THINGS.contains(next) && !next.startsWith("lab")
                    && !next.equals("institute") && !next.equals("university") && !next.equals("college")
                    && !next.equals("hospital") && !next.equals("clinic") && !next.equals("foundation")
                    && !next.startsWith("cent")) return true;
        }
        return false;
    }

    /** A token of 16+ chars of the base64 alphabet with upper, lower and digit in it. */
    static boolean base64Like(String span) {
        int run = 0;
        boolean up = false, low = false, dig = false;
        for (int i = 0; i <= span.length(); i++) {
            char c = i < span.length() ? span.charAt(i) : ' ';
            boolean b64 = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '=';
            if (b64) {
                run++;
                up |= c >= 'A' && c <= 'Z';
                low |= c >= 'a' && c <= 'z';
                dig |= c >= '0' && c <= '9';
            } else {
                if (run >= 16 && up && low && dig) return true;
                run = 0;
                up = low = dig = false;
            }
        }
        return false;
    }

    /** [start, end) pairs of "-----BEGIN …" to "-----END …" blocks (to the text's end when unterminated). */
    static int[] pemRegions(String s) {
        int b = s.indexOf("-----BEGIN");
        if (b < 0) return new int[0];
        int[] out = new int[0];
        while (b >= 0) {
            int e = s.indexOf("-----END", b + 10);
            int end = e < 0 ? s.length() : e;
            out = java.util.Arrays.copyOf(out, out.length + 2);
            out[out.length - 2] = b;
            out[out.length - 1] = end;
            if (e < 0 || out.length > 64) break;
            b = s.indexOf("-----BEGIN", e + 8);
        }
        return out;
    }

    /** camelCase with two or more humps in one token ("PersonMapperDto"); names have at most one ("McDonald"). */
    private static boolean innerCapital(String span) {
        int humps = 0;
        for (int i = 1; i < span.length(); i++) {
            char c = span.charAt(i);
            if (!Character.isLetterOrDigit(c)) humps = 0;
            else if (Character.isUpperCase(c) && Character.isLowerCase(span.charAt(i - 1)) && ++humps >= 2) return true;
        }
        return false;
    }

    private static final Set<String> PARTICLES = Set.of("da", "do", "das", "dos", "de", "del", "della", "der", "den",
            "van", "von", "di", "du", "la", "le", "al", "el", "bin", "ibn", "ter", "ten", "y", "e", "st");

    /** "git", "timeout": names begin with a capital, except after a particle ("da Rosa", "van der Berg"). */
    private static boolean lowerAsciiWord(String w) {
        if (w.isEmpty() || PARTICLES.contains(w)) return false;
        for (int i = 0; i < w.length(); i++) if (w.charAt(i) < 'a' || w.charAt(i) > 'z') return false;
        return true;
    }

    private static char prevNonSpace(String s, int i) {
        while (i > 0 && s.charAt(i - 1) == ' ') i--;
        return i > 0 ? s.charAt(i - 1) : '\n';
    }

    private static char nextNonSpace(String s, int i) {
        while (i < s.length() && s.charAt(i) == ' ') i++;
        return i < s.length() ? s.charAt(i) : ' ';
    }

    private static boolean followedByDigitToken(String s, int i) {
        while (i < s.length() && s.charAt(i) == ' ') i++;
        return i < s.length() && Character.isDigit(s.charAt(i));
    }

    private static String nextWord(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '-')) i++;
        int st = i;
        while (i < s.length() && Character.isLetter(s.charAt(i)) && i - st < 20) i++;
        return s.substring(st, i).toLowerCase(Locale.ROOT);
    }
}
