package dev.bastion.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The body of a model-API request: the bytes the client sent and the one parse of them. Stages that change the
 * request edit {@link #json()} and call {@link #markModified()}; an untouched request is forwarded byte for byte,
 * so fields Bastion does not know (vLLM's {@code top_k}, {@code guided_json}, …) always reach the backend.
 */
public final class ModelRequest {
    private final Operation operation;
    private final byte[] raw;
    private final ObjectNode json;
    private final String model;
    private final boolean stream;
    private boolean modified;
    private boolean frozen;

    public ModelRequest(Operation operation, byte[] raw, ObjectNode json, String model, boolean stream) {
        this.operation = operation;
        this.raw = raw;
        this.json = json;
        this.model = model;
        this.stream = stream;
    }

    public Operation operation() { return operation; }

    /** The model alias the client asked for. */
    public String model() { return model; }

    public boolean stream() { return stream; }

    /** The parsed body; mutate it only together with {@link #markModified()}. */
    public ObjectNode json() { return json; }

    /** The bytes exactly as received. */
    public byte[] raw() { return raw; }

    /** Says the tree was edited, so it is written out instead of forwarding the raw bytes. */
    public void markModified() {
        if (frozen) throw new IllegalStateException("the request was already prepared for the backend");
        modified = true;
    }

    /**
     * From now on the request may not change: the bytes to send were made from it (and the accept record
     * describes them). A stage that still tries to mark it modified fails, and the request is refused.
     */
    public void freeze() { frozen = true; }

    public boolean modified() { return modified; }

    /** Whether the client asked for a final usage chunk on a stream. */
    public boolean includeUsage() {
        var options = json.get("stream_options");
        return options != null && options.path("include_usage").asBoolean(false);
    }
}
