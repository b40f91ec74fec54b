package dev.bastion.pipeline;

/** What a request-side stage decided. Handled with exhaustive switches; stages do not throw to say no. */
public sealed interface Outcome {

    /** Go on with the next stage. */
    record Continue() implements Outcome {}

    /** Answer now with this body; later stages and the backend are skipped. */
    record Reply(int status, String contentType, byte[] body) implements Outcome {}

    /** Refuse with a stable error code. */
    record Deny(Problem problem) implements Outcome {}

    Continue CONTINUE = new Continue();

    static Outcome proceed() { return CONTINUE; }

    static Outcome deny(Problem problem) { return new Deny(problem); }

    static Outcome deny(ErrorCode code, String message) { return new Deny(code.problem(message)); }
}
