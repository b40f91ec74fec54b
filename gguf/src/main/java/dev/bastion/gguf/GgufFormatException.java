package dev.bastion.gguf;

/**
 * The file is not a GGUF file this reader accepts. The message names the problem and the byte offset, never
 * metadata contents (a hostile file could put anything there).
 */
public final class GgufFormatException extends Exception {

    public enum Reason {
        NOT_GGUF, UNSUPPORTED_VERSION, TRUNCATED, LIMIT_EXCEEDED, INVALID_TYPE, INVALID_VALUE, DUPLICATE_KEY,
        INVALID_TENSOR, IO
    }

    private final Reason reason;
    private final long offset;

    public GgufFormatException(Reason reason, long offset, String message) {
        super(reason + " at byte " + offset + ": " + message);
        this.reason = reason;
        this.offset = offset;
    }

    public Reason reason() { return reason; }

    public long offset() { return offset; }
}
