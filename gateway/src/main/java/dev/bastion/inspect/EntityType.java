package dev.bastion.inspect;

/**
 * What a finding is. Names are part of the policy vocabulary (obligations name them) and of the dry-run output:
 * never rename one. HIPAA Safe Harbor identifiers without a type of their own are covered by FAX_NUMBER,
 * ACCOUNT_NUMBER, LICENSE_NUMBER, VEHICLE_ID and DEVICE_ID.
 */
public enum EntityType {
    PERSON, EMAIL_ADDRESS, PHONE_NUMBER, FAX_NUMBER, US_SSN, CREDIT_CARD, IBAN_CODE, IP_ADDRESS,
    STREET_ADDRESS, LOCATION, ORGANIZATION, DATE_OF_BIRTH, DATE, AGE, ZIP_CODE,
    MEDICAL_RECORD_NUMBER, HEALTH_PLAN_ID, US_DRIVER_LICENSE, US_PASSPORT, ACCOUNT_NUMBER, LICENSE_NUMBER,
    VEHICLE_ID, DEVICE_ID, URL, SECRET, PROMPT_INJECTION;

    /** Parses a type name as policy writes it (case-insensitive); null when unknown. */
    public static EntityType parse(String name) {
        if (name == null) return null;
        try {
            return valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
