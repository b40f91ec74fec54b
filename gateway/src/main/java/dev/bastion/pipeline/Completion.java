package dev.bastion.pipeline;

/**
 * How an exchange ended, filled in before the response-side {@link Stage#onComplete} calls.
 *
 * @param status           HTTP status sent to the client
 * @param errorCode        stable error code when the exchange failed, else null
 * @param result           coarse outcome for audit and metrics
 * @param promptTokens     prompt tokens reported by the backend, or -1 when unknown
 * @param completionTokens completion tokens reported by the backend, or -1 when unknown
 * @param endNanos         {@link System#nanoTime()} when the last byte was sent
 */
public record Completion(int status, String errorCode, Result result, long promptTokens, long completionTokens,
                        long endNanos) {

    public enum Result { OK, DENIED, FAILED, BACKEND_ERROR, CLIENT_GONE }

    public static Completion denied(Problem p, long endNanos) {
        return new Completion(p.status(), p.code().code(), p.status() >= 500 ? Result.FAILED : Result.DENIED,
                -1, -1, endNanos);
    }
}
