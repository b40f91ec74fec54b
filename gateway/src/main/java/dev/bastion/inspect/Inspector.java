package dev.bastion.inspect;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Runs every detector over a text and resolves overlaps. Fail closed: a detector that throws, or whose run takes
 * longer than the budget, turns the result into {@link Inspection.Failed}. Built-in detectors are linear-time and
 * run inline; the budget is checked after each one, so a slow run is reported even though it cannot be stopped
 * midway. Thread-safe once built.
 */
public final class Inspector {
    private final List<Detector> detectors;
    private final long budgetNanosPerKb;
    private final long minBudgetNanos;

    private Inspector(List<Detector> detectors, Duration minBudget, Duration budgetPerKb) {
        this.detectors = List.copyOf(detectors);
        this.minBudgetNanos = minBudget.toNanos();
        this.budgetNanosPerKb = budgetPerKb.toNanos();
    }

    /** All built-in detectors, the gazetteer recognizer and the prompt-injection detector. */
    public static Inspector standard() { return builder().build(); }

    public static Builder builder() { return new Builder(); }

    /**
     * The same detectors minus prompt injection: answers are rewritten for entities only, so scoring them for
     * injection would cost a model pass per window and change nothing.
     */
    public Inspector forAnswers() {
        List<Detector> entities = detectors.stream().filter(d -> !(d instanceof PromptInjectionDetector)).toList();
        return new Inspector(entities, Duration.ofNanos(minBudgetNanos), Duration.ofNanos(budgetNanosPerKb));
    }

    /**
     * The injection score of {@code text} on its own (0 without an injection detector): for untrusted spans inside a
     * message, which are judged apart from the text around them.
     */
    public double injectionScore(String text) {
        for (Detector d : detectors) if (d instanceof PromptInjectionDetector p) return p.score(text);
        return 0;
    }

    public List<String> detectorNames() {
        return detectors.stream().map(Detector::name).toList();
    }

    public Inspection inspect(String text) {
        Objects.requireNonNull(text, "text");
        Text t = new Text(text);
        List<Finding> raw = new ArrayList<>();
        long budget = minBudgetNanos + budgetNanosPerKb * (text.length() / 1024);
        for (Detector d : detectors) {
            long t0 = System.nanoTime();
            int before = raw.size();
            try {
                d.detect(t, raw);
            } catch (RuntimeException | StackOverflowError e) {
                return new Inspection.Failed(d.name(), e.getClass().getSimpleName());
            }
            if (System.nanoTime() - t0 > budget) return new Inspection.Failed(d.name(), "timeout");
            for (int i = before; i < raw.size(); i++) {
                Finding f = raw.get(i);
                if (f == null || f.end() > text.length()) return new Inspection.Failed(d.name(), "invalid_finding");
            }
        }
        return new Inspection.Found(resolve(raw));
    }

    /**
     * Keeps a non-overlapping subset: PROMPT_INJECTION findings are kept beside everything (they mark a region, not
     * an entity); among entities a higher score wins, then the longer span.
     */
    static List<Finding> resolve(List<Finding> raw) {
        List<Finding> injection = new ArrayList<>();
        List<Finding> entities = new ArrayList<>(raw.size());
        for (Finding f : raw) (f.type() == EntityType.PROMPT_INJECTION ? injection : entities).add(f);
        entities.sort((a, b) -> {
            int c = Double.compare(b.score(), a.score());
            return c != 0 ? c : Integer.compare(b.length(), a.length());
        });
        // an occupancy bitmap keeps this linear in the covered length, whatever the number of findings
        List<Finding> kept = new ArrayList<>(entities.size());
        java.util.BitSet taken = new java.util.BitSet();
        for (Finding f : entities) {
            int next = taken.nextSetBit(f.start());
            if (next >= 0 && next < f.end()) {
                // a multi-line address that runs into a phone number keeps its part before the clash
                if (f.type() == EntityType.STREET_ADDRESS && next - f.start() >= 4) {
                    f = new Finding(f.type(), f.start(), trimEnd(next, f.start()), f.score());
                    next = taken.nextSetBit(f.start());
                    if (next >= 0 && next < f.end()) continue;
                } else {
                    continue;
                }
            }
            taken.set(f.start(), f.end());
            kept.add(f);
        }
        kept.addAll(injection);
        Collections.sort(kept);
        return kept;
    }

    private static int trimEnd(int end, int start) {
        return Math.max(start + 1, end);
    }

    public static final class Builder {
        private final List<Detector> extra = new ArrayList<>();
        private EntityRecognizer recognizer;
        private boolean injection = true;
        private PromptInjectionDetector injectionDetector;
        private boolean patterns = true;
        private Duration minBudget = Duration.ofMillis(250);
        private Duration perKb = Duration.ofMillis(20);

        /** Replaces the built-in gazetteer recognizer (for example with a deployment's NER model). */
        public Builder recognizer(EntityRecognizer r) { this.recognizer = r; return this; }

        public Builder add(Detector d) { extra.add(Objects.requireNonNull(d)); return this; }

        public Builder injection(boolean on) { this.injection = on; return this; }

        /** Replaces the shipped injection cascade (for example with an operator's ONNX second stage). */
        public Builder injection(PromptInjectionDetector detector) {
            this.injection = true;
            this.injectionDetector = Objects.requireNonNull(detector);
            return this;
        }

        /** Whether the built-in pattern/checksum detectors run (off only for tests of other parts). */
        public Builder patterns(boolean on) { this.patterns = on; return this; }

        /** Time budget per detector: {@code min} plus {@code perKb} for each KiB of text. */
        public Builder budget(Duration min, Duration perKb) {
            this.minBudget = min;
            this.perKb = perKb;
            return this;
        }

        public Inspector build() {
            List<Detector> all = new ArrayList<>();
            if (patterns) all.addAll(PatternDetectors.all());
            all.add(recognizer != null ? recognizer : GazetteerEntityRecognizer.standard());
            if (injection) all.add(injectionDetector != null ? injectionDetector : PromptInjectionDetector.standard());
            all.addAll(extra);
            Inspector inspector = new Inspector(all, minBudget, perKb);
            // first calls load metadata (libphonenumber, gazetteers): do it now, not inside a request's budget
            Text warm = new Text("Call Mr. John Smith at +1 650-253-0000 or john@example.com, 1 Main Street, Paris.");
            for (Detector d : all) {
                try {
                    d.detect(warm, new ArrayList<>());
                } catch (RuntimeException e) {
                    // a broken detector fails each inspection (closed), not the construction
                }
            }
            return inspector;
        }
    }
}
