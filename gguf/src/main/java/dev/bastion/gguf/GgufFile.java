package dev.bastion.gguf;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a GGUF header says: metadata and tensor infos. Convenience accessors read the well-known keys that Bastion
 * records for a model (architecture, quantization, context length, chat template, tokenizer).
 *
 * @param dataOffset absolute file offset where tensor data starts
 */
public record GgufFile(int version, long alignment, Map<String, GgufValue> metadata, List<TensorInfo> tensors,
                       long dataOffset) {

    public GgufFile {
        metadata = Collections.unmodifiableMap(metadata);
        tensors = List.copyOf(tensors);
    }

    public Optional<String> string(String key) {
        return metadata.get(key) instanceof GgufValue.Text t ? Optional.of(t.value()) : Optional.empty();
    }

    /** Any integer-typed value. */
    public OptionalLong integer(String key) {
        if (metadata.get(key) instanceof GgufValue.Scalar s && s.value() instanceof Long l) return OptionalLong.of(l);
        return OptionalLong.empty();
    }

    public Optional<Double> real(String key) {
        if (metadata.get(key) instanceof GgufValue.Scalar s && s.value() instanceof Double d) return Optional.of(d);
        return Optional.empty();
    }

    public Optional<Boolean> bool(String key) {
        if (metadata.get(key) instanceof GgufValue.Scalar s && s.value() instanceof Boolean b) return Optional.of(b);
        return Optional.empty();
    }

    /** Length of an array value, retained or not. */
    public OptionalLong arrayLength(String key) {
        return metadata.get(key) instanceof GgufValue.Array a ? OptionalLong.of(a.length()) : OptionalLong.empty();
    }

    /** {@code general.architecture}, e.g. {@code llama}. */
    public Optional<String> architecture() { return string("general.architecture"); }

    public Optional<String> name() { return string("general.name"); }

    /** {@code <arch>.context_length}: the context the model was trained for. */
    public OptionalLong contextLength() {
        return architecture().map(a -> integer(a + ".context_length")).orElse(OptionalLong.empty());
    }

    public Optional<String> chatTemplate() { return string("tokenizer.chat_template"); }

    /** {@code tokenizer.ggml.model}: {@code llama} (SentencePiece), {@code gpt2} (byte-level BPE), … */
    public Optional<String> tokenizerModel() { return string("tokenizer.ggml.model"); }

    public OptionalLong vocabularySize() { return arrayLength("tokenizer.ggml.tokens"); }

    /** {@code general.file_type} by llama.cpp's name, e.g. {@code Q8_0}. */
    public Optional<LlamaFileType> fileType() {
        var ft = integer("general.file_type");
        return ft.isPresent() ? Optional.ofNullable(LlamaFileType.byId(ft.getAsLong())) : Optional.empty();
    }

    /**
     * The quantization as a short name: the declared file type when known, else the most common tensor type among
     * two-dimensional tensors (older files omit {@code general.file_type}).
     */
    public String quantization() {
        var ft = fileType();
        if (ft.isPresent()) return ft.get().label();
        var counts = new java.util.EnumMap<GgmlType, Integer>(GgmlType.class);
        for (TensorInfo t : tensors) if (t.dims().length >= 2) counts.merge(t.type(), 1, Integer::sum);
        return counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(e -> e.getKey().name())
                .orElse("unknown");
    }

    /** Total bytes of tensor data. */
    public long tensorBytes() {
        long sum = 0;
        for (TensorInfo t : tensors) sum += t.bytes();
        return sum;
    }
}
