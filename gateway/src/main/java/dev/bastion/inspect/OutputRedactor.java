package dev.bastion.inspect;

import java.util.List;
import java.util.Set;

/**
 * The answer-side rewrite of a whole text: types in {@code outputMask} become {@code [TYPE]}; pseudonym tokens
 * {@code <TYPE_n>} are restored to their originals when re-identification is allowed (and the session knows them).
 * {@link InspectResponseFilter} applies the same rewrite to a stream through a sliding window.
 */
public final class OutputRedactor {
    private final Inspector inspector;
    private final Set<EntityType> outputMask;
    private final double minScore;
    private final PseudonymSession session;
    private final boolean reidentify;
    private final AnswerFindings found;

    public OutputRedactor(Inspector inspector, InspectionObligations ob, PseudonymSession session) {
        this(inspector, ob, session, new AnswerFindings());
    }

    /** @param found counts every finding of the released text by type (for the complete audit record) */
    public OutputRedactor(Inspector inspector, InspectionObligations ob, PseudonymSession session,
                          AnswerFindings found) {
        this.inspector = inspector;
        this.outputMask = ob.outputMask();
        this.minScore = ob.minScore();
        this.reidentify = ob.reidentify() && session != null;
        this.session = session;
        this.found = found;
    }

    /** Rewrites a complete text; throws {@link InspectionFailedException} when inspection fails (fail closed). */
    public String apply(String text) {
        List<Finding> fs = findings(text);
        StringBuilder out = new StringBuilder(text.length());
        rewrite(text, fs, 0, text.length(), out);
        return out.toString();
    }

    List<Finding> findings(String text) {
        return switch (inspector.inspect(text)) {
            case Inspection.Found f -> f.findings();
            case Inspection.Failed f -> throw new InspectionFailedException(f.detector(), f.reason());
        };
    }

    boolean masks(Finding f) {
        return f.type() != EntityType.PROMPT_INJECTION && f.score() >= minScore && outputMask.contains(f.type());
    }

    /**
     * Appends the rewrite of text[from, to) to out; findings crossing {@code from} are masked from there on. Counts
     * the findings that start in the range, masked or not (our own pseudonym tokens excepted).
     */
    void rewrite(String text, List<Finding> fs, int from, int to, StringBuilder out) {
        int pos = from;
        for (Finding f : fs) {
            // counted where it starts, so a finding is counted in exactly one released piece of a stream
            if (f.start() >= from && f.start() < to && f.score() >= minScore && f.type() != EntityType.PROMPT_INJECTION
                    && !insideToken(text, f)) found.add(f.type());
            if (!masks(f) || f.end() <= from || f.start() >= to || insideToken(text, f)) continue;
            int st = Math.max(f.start(), pos);
            if (st >= to) continue;
            tokens(text, pos, st, out);
            out.append('[').append(f.type().name()).append(']');
            pos = Math.min(f.end(), to);
        }
        tokens(text, pos, to, out);
    }

    /**
     * A finding that lies inside a {@code <TYPE_n>} placeholder is the recogniser reading our own pseudonym as a
     * name; masking it would destroy the token the caller is allowed to get back.
     */
    static boolean insideToken(CharSequence text, Finding f) {
        int lt = f.start();
        while (lt >= 0 && f.start() - lt < 40 && text.charAt(lt) != '<' && text.charAt(lt) != ' ') lt--;
        if (lt < 0 || text.charAt(lt) != '<') return false;
        int end = tokenEnd(text, lt, text.length());
        return end > 0 && end >= f.end();
    }

    /** Copies text[from, to), restoring pseudonym tokens when allowed. */
    private void tokens(String text, int from, int to, StringBuilder out) {
        if (!reidentify) {
            out.append(text, from, to);
            return;
        }
        int pos = from;
        int lt = text.indexOf('<', from);
        while (lt >= 0 && lt < to) {
            int end = tokenEnd(text, lt, to);
            if (end > 0) {
                String original = session.originalFor(text.substring(lt, end));
                if (original != null) {
                    out.append(text, pos, lt).append(original);
                    pos = end;
                }
            }
            lt = text.indexOf('<', lt + 1);
        }
        out.append(text, pos, to);
    }

    /** End (exclusive) of a {@code <TYPE_n>} token starting at {@code lt} and ending before {@code to}, or -1. */
    static int tokenEnd(CharSequence s, int lt, int to) {
        int k = lt + 1;
        int letters = 0;
        while (k < to && k - lt < 40 && (Chars.isUpper(s.charAt(k)) || s.charAt(k) == '_')) { k++; letters++; }
        if (letters < 3 || s.charAt(k - 1) != '_') {
            // the type name itself contains underscores: the last '_' must be followed by digits
            int u = k - 1;
            while (u > lt && s.charAt(u) != '_') u--;
            if (u <= lt) return -1;
        }
        int digits = 0;
        while (k < to && Chars.isDigit(s.charAt(k)) && digits < 9) { k++; digits++; }
        if (digits == 0 || k >= to || s.charAt(k) != '>') return -1;
        return k + 1;
    }
}
