package dev.bastion.pipeline;

import java.util.List;

/**
 * What the caller declared about the request in {@code X-Bastion-*} headers. Declarations, not facts: policy decides
 * how far to trust them, and inspection checks the data itself.
 *
 * @param purpose        declared purpose of processing ({@code X-Bastion-Purpose}), or null
 * @param subjects       pseudonymous data-subject ids ({@code X-Bastion-Subject}, comma-separated)
 * @param classification declared data classification label ({@code X-Bastion-Classification}), or null
 * @param conversation   conversation id that keeps pseudonyms stable across turns ({@code X-Bastion-Conversation})
 * @param evaluation     the evaluation item this request answers ({@code X-Bastion-Evaluation: <run>:<item>}), or
 *                       null; the registry admits it only for the run's own principal and model
 */
public record RequestContext(String purpose, List<String> subjects, String classification, String conversation,
                             String evaluation) {
    public static final RequestContext EMPTY = new RequestContext(null, List.of(), null, null, null);

    public RequestContext {
        subjects = List.copyOf(subjects);
    }

    /** A context that names no evaluation item. */
    public RequestContext(String purpose, List<String> subjects, String classification, String conversation) {
        this(purpose, subjects, classification, conversation, null);
    }
}
