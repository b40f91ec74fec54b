package dev.bastion.inspect;

/** What to do with a finding of a given type in a request, as policy obligations say. */
public enum Action {
    /** Leave the text as it is. */
    ALLOW,
    /** Replace with the type name in brackets: {@code [EMAIL_ADDRESS]}. */
    MASK,
    /** Replace with a conversation-stable token {@code <PERSON_1>}; the original goes to the encrypted vault. */
    PSEUDONYMISE,
    /** HIPAA Safe Harbor style: ZIP to its first three digits, ages over 89 to "90+", dates to the year. */
    GENERALISE,
    /** Refuse the request (403 sensitive_data_blocked naming the types). */
    BLOCK
}
