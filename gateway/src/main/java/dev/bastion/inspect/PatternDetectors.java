package dev.bastion.inspect;

import java.util.List;

/** The built-in pattern and checksum detectors, in the order they run. */
final class PatternDetectors {
    private PatternDetectors() {}

    static List<Detector> all() {
        return List.of(new SecretDetector(), new EmailDetector(), new UrlDetector(), new CreditCardDetector(),
                new IbanDetector(), new SsnDetector(), new PhoneDetector(), new IpAddressDetector(),
                new DateAgeDetector(), new ContextIdDetector());
    }
}
