package dev.bastion.policy;

import java.util.List;

/**
 * What the consent registry says about the data subjects a request names, for its declared purpose: computed once
 * per request before policy runs ({@code request.consent} in CEL). Never holds a subject id.
 *
 * @param subjects     how many subjects the request names
 * @param withoutBasis how many of them have no lawful basis in force for the declared purpose
 * @param bases        the lawful bases in force, distinct and sorted ({@code consent}, {@code contract}, …)
 * @param saleOptOut   whether any named subject opted out of the sale or sharing of their data (CCPA)
 */
public record ConsentFacts(int subjects, int withoutBasis, List<String> bases, boolean saleOptOut) {
    public static final ConsentFacts NO_SUBJECTS = new ConsentFacts(0, 0, List.of(), false);

    public ConsentFacts {
        if (subjects < 0 || withoutBasis < 0 || withoutBasis > subjects) throw new IllegalArgumentException("counts");
        bases = List.copyOf(bases);
    }

    /** What policy assumes when the registry was not asked: no basis for anyone named (fail closed). */
    public static ConsentFacts unknown(int subjects) {
        return subjects == 0 ? NO_SUBJECTS : new ConsentFacts(subjects, subjects, List.of(), false);
    }

    /** Every named subject has a basis for the declared purpose (true when none is named). */
    public boolean basis() { return withoutBasis == 0; }
}
