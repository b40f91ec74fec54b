package dev.bastion.privacy;

import java.util.Locale;
import java.util.Optional;

/** The six lawful bases of GDPR Art. 6(1), as they appear on the wire ({@code legal-obligation}, …). */
public enum LawfulBasis {
    CONSENT, CONTRACT, LEGAL_OBLIGATION, VITAL_INTEREST, PUBLIC_TASK, LEGITIMATE_INTEREST;

    public String wire() { return name().toLowerCase(Locale.ROOT).replace('_', '-'); }

    public static Optional<LawfulBasis> parse(String wire) {
        for (LawfulBasis b : values()) if (b.wire().equals(wire)) return Optional.of(b);
        return Optional.empty();
    }
}
