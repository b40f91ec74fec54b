package dev.bastion.pipeline;

/** The model-API operations the pipeline serves, with the policy action each one needs. */
public enum Operation {
    CHAT("chat/completions", "model.invoke"),
    COMPLETION("completions", "model.invoke"),
    EMBEDDING("embeddings", "model.embed");

    private final String path;
    private final String action;

    Operation(String path, String action) {
        this.path = path;
        this.action = action;
    }

    /** Path below the OpenAI base URL ({@code …/v1/}). */
    public String path() { return path; }

    /** The policy action name, e.g. {@code model.invoke}. */
    public String action() { return action; }
}
