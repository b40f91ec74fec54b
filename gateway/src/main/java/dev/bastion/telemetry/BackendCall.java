package dev.bastion.telemetry;

/**
 * One call to a backend within a {@link RequestTrace}: which backend, for which model alias, how it ended, how many
 * tokens it reported. Ended once, by whoever relayed the answer.
 */
public final class BackendCall {
    final long spanId;
    final String backend;
    final String alias;
    final String operation;
    final int attempt;
    final long start;
    long end;
    int status;
    String errorCode;
    long promptTokens = -1;
    long completionTokens = -1;
    boolean streamed;

    BackendCall(long spanId, String backend, String alias, String operation, int attempt, long start) {
        this.spanId = spanId;
        this.backend = backend;
        this.alias = alias;
        this.operation = operation;
        this.attempt = attempt;
        this.start = start;
    }

    /**
     * Ends the span.
     *
     * @param status    the status Bastion answered with for this call (the backend's, or the mapped error's)
     * @param errorCode Bastion's error code when the call failed, else null
     * @param streamed  whether the answer was an event stream
     */
    public void end(int status, String errorCode, long promptTokens, long completionTokens, boolean streamed) {
        if (end != 0) return;
        this.end = System.nanoTime();
        this.status = status;
        this.errorCode = errorCode;
        this.promptTokens = promptTokens;
        this.completionTokens = completionTokens;
        this.streamed = streamed;
    }
}
