package dev.bastion.gguf;

/**
 * Bounds applied while reading a file that may be hostile: every count and length is checked against these and
 * against the bytes actually left in the file before anything is allocated.
 *
 * @param maxTensors          tensor infos accepted
 * @param maxKeyValues        metadata entries accepted
 * @param maxStringBytes      length of one string (keys, values, array elements)
 * @param maxArrayElements    length of one array
 * @param maxRetainedElements arrays longer than this are skipped over and keep only their length
 * @param maxHeaderBytes      total bytes of header, metadata and tensor infos
 */
public record GgufLimits(int maxTensors, int maxKeyValues, int maxStringBytes, long maxArrayElements,
                         int maxRetainedElements, long maxHeaderBytes) {

    /** Generous enough for real models (256k-token vocabularies, large chat templates), small enough to be safe. */
    public static final GgufLimits DEFAULT = new GgufLimits(65_536, 65_536, 4 << 20, 16L << 20, 65_536, 512L << 20);

    /** For tools that only need scalar metadata: large arrays are skipped without being kept. */
    public static GgufLimits scalarsOnly() {
        return new GgufLimits(65_536, 65_536, 4 << 20, 16L << 20, 1_024, 512L << 20);
    }
}
