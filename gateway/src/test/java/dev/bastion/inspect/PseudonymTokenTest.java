package dev.bastion.inspect;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A recogniser that reads our own {@code <PERSON_1>} placeholder as a name must not get it masked on the way out. */
class PseudonymTokenTest {
    static final String TEXT = "Contact <PERSON_1> today, or Jane Doe.";

    @Test
    void findingsInsideAPlaceholderAreRecognisedAsOurs() {
        assertThat(OutputRedactor.insideToken(TEXT, new Finding(EntityType.PERSON, 9, 17, 0.9))).isTrue();
        assertThat(OutputRedactor.insideToken(TEXT, new Finding(EntityType.PERSON, 8, 18, 0.9))).isTrue();
    }

    @Test
    void findingsOutsideOrBeyondAPlaceholderAreNot() {
        assertThat(OutputRedactor.insideToken(TEXT, new Finding(EntityType.PERSON, 29, 37, 0.9))).isFalse();
        assertThat(OutputRedactor.insideToken(TEXT, new Finding(EntityType.PERSON, 9, 24, 0.9))).isFalse();
        assertThat(OutputRedactor.insideToken("a <not a token> b", new Finding(EntityType.PERSON, 7, 8, 0.9))).isFalse();
    }
}
