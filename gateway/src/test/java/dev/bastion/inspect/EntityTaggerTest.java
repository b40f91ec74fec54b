package dev.bastion.inspect;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The token tagger stacked on the gazetteer rules: loaded, serialisable, useful, linear on hostile input. */
class EntityTaggerTest {
    private static final Inspector INSPECTOR = Inspector.builder().injection(false)
            .budget(Duration.ofSeconds(10), Duration.ZERO).build();

    static String found(String text, EntityType type) {
        StringBuilder b = new StringBuilder();
        for (Finding f : ((Inspection.Found) INSPECTOR.inspect(text)).findings()) {
            if (f.type() == type && f.score() >= 0.5) b.append(b.isEmpty() ? "" : "|").append(text, f.start(), f.end());
        }
        return b.toString();
    }

    @Test
    void theStandardRecognizerCarriesTheEmbeddedModel() {
        assertThat(EntityTagger.standard()).isNotNull();
    }

    @Test
    void namesWithoutCuesAndAddressBlocksAreFound() {
        assertThat(found("In case of my child's account, we need to add Zofia Wrzesniak as guardian", EntityType.PERSON))
                .isEqualTo("Zofia Wrzesniak");
        String letter = "Ilse Brandt\n\n4759 Sunny Glen Lane\n Apt. 12\n Fort Worth\n United States 76102";
        String text = ((Inspection.Found) INSPECTOR.inspect(letter)).findings().stream()
                .filter(f -> f.score() >= 0.5).map(f -> letter.substring(f.start(), f.end())).toList().toString();
        assertThat(text).contains("Ilse Brandt").contains("4759 Sunny Glen Lane").contains("76102");
    }

    @Test
    void aPossessiveEndsTheName() {
        assertThat(found("These are the verses from Gillian Young's Cautionary Tales.", EntityType.PERSON))
                .startsWith("Gillian Young").doesNotContain("'s");
    }

    @Test
    void ordinaryProseHasNoEntities() {
        String text = "Please summarise the attached quarterly report and list three risks. Use short sentences, "
                + "and answer in English. How do I change the billing date of my card?";
        assertThat(((Inspection.Found) INSPECTOR.inspect(text)).findings().stream().filter(f -> f.score() >= 0.5)
                .filter(f -> f.type() != EntityType.LOCATION || !text.substring(f.start(), f.end()).equals("English")))
                .isEmpty();
    }

    @Test
    void writingAndReadingTheModelKeepsEveryDecision() throws Exception {
        EntityTagger m = EntityTagger.standard();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.write(out);
        EntityTagger back = EntityTagger.read(new ByteArrayInputStream(out.toByteArray()));
        for (String s : new String[]{"Call Mr. John Smith at 1 Main Street, Paris.", "the corner of Elm St. and 5th Avenue",
                "ACME Holdings Inc. hired Ana de la Cruz in São Paulo"}) {
            assertThat(EntityTagger.tagForEval(back, s)).isEqualTo(EntityTagger.tagForEval(m, s));
        }
    }

    @Test
    void lowerCaseTextIsTaggedEverywhereButStaysLinear() {
        String unit = "my name is ana and i live at 12 rue carlier, lille. ";
        long small = time(unit.repeat(200));
        long large = time(unit.repeat(1600));
        // eight times the text: well under twenty times the time (a super-linear step would blow through it)
        assertThat(large).isLessThan(Math.max(20 * small, 200_000_000L));
    }

    private static long time(String text) {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            List<Finding> out = new ArrayList<>();
            GazetteerEntityRecognizer.standard().detect(new Text(text), out);
            best = Math.min(best, System.nanoTime() - t0);
        }
        return best;
    }

    @Test
    void goldLabelsMapToTaggerLabels() {
        assertThat(EntityTagger.labelOfGold("GPE")).isEqualTo(EntityTagger.labelOf(EntityType.LOCATION));
        assertThat(EntityTagger.labelOfGold("TITLE")).isEqualTo(-1);
        assertThat(EntityTagger.labelOfGold("CREDIT_CARD")).isZero();
        int[] chars = new int[11];
        Arrays.fill(chars, 0, 5, 1);
        assertThat(EntityTagger.goldPerToken("Alice likes", chars)).containsExactly(1, 0);
    }
}
