package dev.bastion.engine;

import java.util.List;

/**
 * One text generation, after validation: the already-templated prompt and the sampling settings.
 *
 * @param maxTokens   tokens to generate at most (always set: the worker never generates unbounded)
 * @param temperature null for the model's default
 * @param seed        null for a random seed
 */
record GenerationRequest(String prompt, int promptTokens, int maxTokens, Float temperature, Float topP, Integer seed,
                         List<String> stop) {

    /**
     * @param finishReason {@code stop} (end of sequence or a stop sequence) or {@code length} (max tokens)
     */
    record Result(String text, int promptTokens, int completionTokens, String finishReason, boolean cancelled) {}

    /** Receives generated text as it is produced; returning false cancels the generation (client gone). */
    interface ChunkSink {
        boolean accept(String text);
    }
}
