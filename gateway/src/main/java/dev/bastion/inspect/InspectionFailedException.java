package dev.bastion.inspect;

/**
 * Output inspection failed (a detector threw or overran its budget, or text was held beyond the limit). Thrown
 * from the response filter because {@code ResponseFilter} has no failure value: the caller must stop the stream
 * and audit the reason. The message names the detector and the failure kind only.
 */
public final class InspectionFailedException extends RuntimeException {
    private final String detector;
    private final String reason;

    public InspectionFailedException(String detector, String reason) {
        super("output inspection failed: " + detector + " (" + reason + ")", null, false, false);
        this.detector = detector;
        this.reason = reason;
    }

    public String detector() { return detector; }

    public String reason() { return reason; }
}
