package dev.bastion.inspect;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class InspectorFailClosedTest {

    private static Inspector with(Detector d, Duration budget) {
        return Inspector.builder().patterns(false).injection(false).recognizer(new EntityRecognizer() {
            @Override
            public String name() { return "none"; }

            @Override
            public void detect(Text text, List<Finding> out) { }
        }).add(d).budget(budget, Duration.ZERO).build();
    }

    @Test
    void aThrowingDetectorFailsTheWholeInspection() {
        Detector boom = new Detector() {
            @Override
            public String name() { return "boom"; }

            @Override
            public void detect(Text text, List<Finding> out) {
                if (text.length() > 5) throw new IllegalStateException("secret text " + text.value());
            }
        };
        Inspection r = with(boom, Duration.ofSeconds(1)).inspect("my ssn is 078-05-1121");
        assertThat(r).isEqualTo(new Inspection.Failed("boom", "IllegalStateException"));
        assertThat(r.toString()).doesNotContain("078-05-1121");
    }

    @Test
    void aDetectorOverItsBudgetFailsTheWholeInspection() {
        Detector slow = new Detector() {
            @Override
            public String name() { return "slow"; }

            @Override
            public void detect(Text text, List<Finding> out) {
                if (text.length() < 10) return;
                long until = System.nanoTime() + 5_000_000; // busy for 5 ms: a real overrun, no sleeping
                while (System.nanoTime() < until) Thread.onSpinWait();
            }
        };
        Inspection r = with(slow, Duration.ofMillis(1)).inspect("a longer text than the warm-up");
        assertThat(r).isEqualTo(new Inspection.Failed("slow", "timeout"));
    }

    @Test
    void aFindingOutsideTheTextFailsTheInspection() {
        Detector liar = new Detector() {
            @Override
            public String name() { return "liar"; }

            @Override
            public void detect(Text text, List<Finding> out) {
                out.add(new Finding(EntityType.PERSON, 0, text.length() + 10, 1));
            }
        };
        Inspector in = Inspector.builder().patterns(false).injection(false).add(liar).build();
        assertThat(in.inspect("abc")).isEqualTo(new Inspection.Failed("liar", "invalid_finding"));
    }

    @Test
    void aPluggedRecognizerReplacesTheGazetteer() {
        EntityRecognizer ner = new EntityRecognizer() {
            @Override
            public String name() { return "model"; }

            @Override
            public void detect(Text text, List<Finding> out) {
                int at = text.value().indexOf("Zorblax");
                if (at >= 0) out.add(new Finding(EntityType.PERSON, at, at + 7, 0.99));
            }
        };
        Inspector in = Inspector.builder().injection(false).recognizer(ner).build();
        Inspection.Found f = (Inspection.Found) in.inspect("I met Zorblax today");
        assertThat(f.findings()).containsExactly(new Finding(EntityType.PERSON, 6, 13, 0.99));
        assertThat(in.detectorNames()).contains("model").doesNotContain("gazetteer_ner");
    }
}
