package dev.bastion.quota;

/**
 * One counter in the budget state.
 *
 * @param counterKey  {@code rule:metric:scope-token}
 * @param windowStart epoch seconds
 * @param allocated   leased by replicas (reserved or used)
 * @param used        settled usage (written in batches, at most a second behind)
 */
public record CounterState(String counterKey, String rule, String metric, long windowStart, long limit, long allocated,
                           long used) {
    /** The scope's hash token (the last part of the key). */
    public String scopeToken() { return counterKey.substring(counterKey.lastIndexOf(':') + 1); }
}
