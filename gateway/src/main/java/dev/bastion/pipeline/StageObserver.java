package dev.bastion.pipeline;

/**
 * Watches exchanges pass through a {@link Pipeline}: when each stage ran and how it decided (tracing). Optional: a
 * pipeline without an observer takes no timestamps and does no other work for it.
 */
public interface StageObserver {

    /** An exchange enters the pipeline; null when this one is not observed (not sampled). */
    Observation begin(Exchange exchange);

    /** One exchange's observation, called on the exchange's thread only. */
    interface Observation {
        /** A stage's request side ran from {@code start} to {@code end} ({@link System#nanoTime}). */
        void stage(Stage stage, long start, long end, Outcome outcome);

        /** The terminal (backend call or admin handler) ran from {@code start} to {@code end}. */
        void terminal(long start, long end);

        /** The completion hooks ran from {@code start} to {@code end}; the exchange is over. */
        void end(Exchange exchange, long start, long end);
    }
}
