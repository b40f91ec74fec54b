package dev.bastion.policy;

/**
 * What must happen to detected entities of a type before text reaches a model. Declared from weakest to strongest:
 * when rules disagree about one entity type, the strongest wins.
 */
public enum EntityAction {
    /** Replace by a coarser value (a date by its year, an address by its city). */
    GENERALISE,
    /** Replace by a consistent pseudonym ({@code <PERSON_1>}); the original stays in the vault. */
    PSEUDONYMISE,
    /** Replace by a fixed marker; irreversible. */
    MASK,
    /** Refuse the request. */
    BLOCK;

    EntityAction strongest(EntityAction other) { return other == null || compareTo(other) >= 0 ? this : other; }
}
