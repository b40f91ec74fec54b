package dev.bastion.inspect;

import dev.bastion.pipeline.ResponseFilter;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Output inspection over a stream. Per choice it holds back the last {@code window} chars so that an entity or a
 * pseudonym token split across chunks is seen whole; a cut never falls inside a finding or a token, and the last
 * {@code context} released chars are kept as left context for detectors that look back ("my SSN is …"). The
 * result equals {@link OutputRedactor#apply} on the whole text for entities shorter than the window. Text that
 * cannot be released because one finding keeps growing (an unterminated key block) is held up to
 * {@code maxHold} chars; beyond that the filter fails closed.
 */
public final class InspectResponseFilter implements ResponseFilter {
    public static final int DEFAULT_WINDOW = 256;
    private static final int CONTEXT = 128;
    private static final int STEP = 64;
    private static final int MAX_HOLD = 1 << 20;

    private final OutputRedactor redactor;
    private final int window;
    private final Map<Integer, State> states = new HashMap<>();

    private static final class State {
        final StringBuilder pending = new StringBuilder();
        String context = "";
    }

    public InspectResponseFilter(OutputRedactor redactor, int window) {
        if (window < 64) throw new IllegalArgumentException("window too small");
        this.redactor = redactor;
        this.window = window;
    }

    @Override
    public String onText(int choice, String text) {
        State st = states.computeIfAbsent(choice, c -> new State());
        st.pending.append(text);
        if (st.pending.length() < window + STEP) return "";
        return release(st, false);
    }

    @Override
    public String flush(int choice) {
        State st = states.remove(choice);
        return st == null ? "" : release(st, true);
    }

    private String release(State st, boolean last) {
        String buf = st.context + st.pending;
        int offset = st.context.length();
        List<Finding> fs = redactor.findings(buf);
        int cut = last ? buf.length() : buf.length() - window;
        if (!last) cut = safeCut(buf, fs, cut);
        if (cut <= offset) {
            if (st.pending.length() > MAX_HOLD) throw new InspectionFailedException("output_window", "held_too_long");
            return "";
        }
        StringBuilder out = new StringBuilder(cut - offset + 16);
        redactor.rewrite(buf, fs, offset, cut, out);
        st.context = buf.substring(Math.max(0, cut - CONTEXT), cut);
        st.pending.setLength(0);
        st.pending.append(buf, cut, buf.length());
        return out.toString();
    }

    /** Moves the cut left until it is outside every finding and every pseudonym token. */
    private int safeCut(String buf, List<Finding> fs, int cut) {
        boolean moved = true;
        while (moved && cut > 0) {
            moved = false;
            for (Finding f : fs) {
                // only findings that change the output constrain the cut (an injection finding spans everything)
                if (redactor.masks(f) && f.start() < cut && cut < f.end()) { cut = f.start(); moved = true; }
            }
            int lt = buf.lastIndexOf('<', cut - 1);
            if (lt >= 0 && cut - lt < 48) {
                int end = OutputRedactor.tokenEnd(buf, lt, buf.length());
                if (end > cut) { cut = lt; moved = true; }
            }
            // never split a word: detectors see word boundaries
            while (cut > 0 && cut < buf.length() && Character.isLetterOrDigit(buf.charAt(cut))
                    && Character.isLetterOrDigit(buf.charAt(cut - 1))) { cut--; moved = true; }
        }
        return cut;
    }
}
