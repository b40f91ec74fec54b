package dev.bastion.policy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What is known about the request beyond who asks for what: caller declarations ({@code X-Bastion-*} headers),
 * where it came from, when, and — once inspection ran — how many findings of each entity type the input holds.
 *
 * @param purpose        declared purpose, or "" when none was declared
 * @param subjects       declared pseudonymous data-subject ids
 * @param classification declared classification label, or "" (the policy's {@code default_classification} applies)
 * @param clientIp       caller address literal (IPv4 or IPv6), or ""
 * @param time           when the request arrived
 * @param findings       entity type → count (no values, ever); empty before inspection
 * @param consent        what the consent registry holds for the named subjects and the declared purpose
 */
public record RequestFacts(String purpose, List<String> subjects, String classification, String clientIp,
                           Instant time, Map<String, Integer> findings, ConsentFacts consent) {

    public RequestFacts {
        purpose = purpose == null ? "" : purpose;
        subjects = List.copyOf(subjects);
        classification = classification == null ? "" : classification;
        clientIp = clientIp == null ? "" : clientIp;
        if (time == null) throw new IllegalArgumentException("time is null");
        findings = Map.copyOf(findings);
        if (consent == null) consent = ConsentFacts.unknown(subjects.size());
    }

    /** Facts without consent information: named subjects count as having no basis (fail closed). */
    public RequestFacts(String purpose, List<String> subjects, String classification, String clientIp,
                        Instant time, Map<String, Integer> findings) {
        this(purpose, subjects, classification, clientIp, time, findings, null);
    }

    /** Only a time: no declarations, no findings. */
    public static RequestFacts at(Instant time) { return new RequestFacts("", List.of(), "", "", time, Map.of()); }

    public RequestFacts withFindings(Map<String, Integer> counts) {
        return new RequestFacts(purpose, subjects, classification, clientIp, time, counts, consent);
    }

    public RequestFacts withConsent(ConsentFacts facts) {
        return new RequestFacts(purpose, subjects, classification, clientIp, time, findings, facts);
    }
}
