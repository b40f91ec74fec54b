package dev.bastion.pipeline;

/**
 * A response-side stage's view of the generated text, in order, per choice. A filter may hold text back (a sliding
 * window, so that an entity split across stream chunks is still seen whole) and release it later. Filters run in
 * reverse stage order, each getting what the previous one released.
 */
public interface ResponseFilter {

    /** Receives the next piece of text of a choice; returns the text that may be sent now (possibly empty). */
    String onText(int choice, String text);

    /** The choice has ended: returns everything still held back. */
    String flush(int choice);
}
