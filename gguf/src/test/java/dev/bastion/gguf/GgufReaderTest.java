package dev.bastion.gguf;

import dev.bastion.gguf.GgufFormatException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GgufReaderTest {

    @TempDir
    Path dir;

    @Test
    void syntheticModelReadsBackWithItsMetadata() throws Exception {
        Path file = dir.resolve("tiny.gguf");
        SyntheticLlamaModel.write(SyntheticLlamaModel.Spec.tiny(), file);
        GgufFile g = GgufReader.read(file);
        assertThat(g.version()).isEqualTo(3);
        assertThat(g.architecture()).contains("llama");
        assertThat(g.name()).contains("bastion-tiny");
        assertThat(g.quantization()).isEqualTo("Q8_0");
        assertThat(g.contextLength()).hasValue(1024);
        assertThat(g.chatTemplate()).contains(SyntheticLlamaModel.CHATML_TEMPLATE);
        assertThat(g.tokenizerModel()).contains("gpt2");
        assertThat(g.integer("llama.embedding_length")).hasValue(64);
        assertThat(g.tensors()).hasSize(3 + 2 * 9);
        TensorInfo embd = g.tensors().getFirst();
        assertThat(embd.name()).isEqualTo("token_embd.weight");
        assertThat(embd.type()).isEqualTo(GgmlType.Q8_0);
        assertThat(embd.dims()).containsExactly(64, g.vocabularySize().getAsLong());
        TensorInfo last = g.tensors().getLast();
        assertThat(g.dataOffset() + last.offset() + last.bytes()).isEqualTo(Files.size(file));
    }

    @Test
    void handBuiltFileGivesExactValues() throws Exception {
        byte[] file = new Bytes().magic().u32(3).u64(1).u64(3)
                .kv("general.architecture", 8).str("llama")
                .kv("llama.context_length", 4).u32(4096)
                .kv("general.file_type", 4).u32(15)
                .str("w").u32(2).u64(32).u64(2).u32(0).u64(0)
                .padTo(32).zeros(32 * 2 * 4).bytes();
        GgufFile g = GgufReader.read(file, GgufLimits.DEFAULT);
        assertThat(g.contextLength()).hasValue(4096);
        assertThat(g.quantization()).isEqualTo("Q4_K_M");
        assertThat(g.tensors()).singleElement().satisfies(t -> {
            assertThat(t.bytes()).isEqualTo(256);
            assertThat(t.dims()).containsExactly(32, 2);
        });
        assertThat(g.dataOffset() % 32).isZero();
    }

    @Test
    void refusesWhatIsNotGguf() {
        assertReason(new byte[0], Reason.NOT_GGUF);
        assertReason("GGML0000000000000000000000".getBytes(StandardCharsets.US_ASCII), Reason.NOT_GGUF);
        assertReason(new Bytes().magic().u32(1).u64(0).u64(0).bytes(), Reason.UNSUPPORTED_VERSION);
        // a big-endian file reads its version byte-swapped
        assertReason(new Bytes().magic().u32(0x03000000).u64(0).u64(0).bytes(), Reason.UNSUPPORTED_VERSION);
    }

    @Test
    void hugeCountsAreRefusedBeforeAllocating() {
        assertReason(new Bytes().magic().u32(3).u64(0).u64(-1).bytes(), Reason.LIMIT_EXCEEDED);
        assertReason(new Bytes().magic().u32(3).u64(1L << 40).u64(0).bytes(), Reason.LIMIT_EXCEEDED);
        assertReason(new Bytes().magic().u32(3).u64(0).u64(1).u64(1L << 50).bytes(), Reason.LIMIT_EXCEEDED);
        // an array claiming more elements than the file has bytes
        assertReason(new Bytes().magic().u32(3).u64(0).u64(1).kv("a", 9).u32(8).u64(1_000_000).bytes(),
                Reason.TRUNCATED);
        assertReason(new Bytes().magic().u32(3).u64(0).u64(1).kv("a", 9).u32(8).u64(1L << 62).bytes(),
                Reason.LIMIT_EXCEEDED);
    }

    @Test
    void malformedEntriesGetTypedReasons() {
        assertReason(new Bytes().magic().u32(3).u64(0).u64(1).kv("a", 99).bytes(), Reason.INVALID_TYPE);
        assertReason(new Bytes().magic().u32(3).u64(0).u64(1).kv("a", 9).u32(9).u64(0).bytes(), Reason.INVALID_TYPE);
        assertReason(new Bytes().magic().u32(3).u64(0).u64(2).kv("a", 4).u32(1).kv("a", 4).u32(2).bytes(),
                Reason.DUPLICATE_KEY);
        assertReason(new Bytes().magic().u32(3).u64(0).u64(1).kv("b", 7).u8(2).bytes(), Reason.INVALID_VALUE);
        assertReason(new Bytes().magic().u32(3).u64(0).u64(1).kv("general.alignment", 4).u32(3).bytes(),
                Reason.INVALID_VALUE);
        assertReason(tensor(5, new long[]{32, 1, 1, 1, 1}, 0, 0), Reason.INVALID_TENSOR);
        assertReason(tensor(2, new long[]{32, -1}, 0, 0), Reason.INVALID_TENSOR);
        assertReason(tensor(2, new long[]{32, 1}, 77, 0), Reason.INVALID_TENSOR);
        assertReason(tensor(2, new long[]{33, 1}, 8, 0), Reason.INVALID_TENSOR); // Q8_0 rows are blocks of 32
        assertReason(tensor(2, new long[]{32, 1}, 0, 7), Reason.INVALID_TENSOR);
        assertReason(tensor(2, new long[]{1L << 40, 1L << 40}, 0, 0), Reason.INVALID_TENSOR);
        assertReason(tensor(2, new long[]{32, 1000}, 0, 0), Reason.TRUNCATED);
    }

    @Test
    void everyTruncationOfAValidFileIsATypedError() throws Exception {
        Path file = dir.resolve("t.gguf");
        SyntheticLlamaModel.write(SyntheticLlamaModel.Spec.tiny(), file);
        byte[] all = Files.readAllBytes(file);
        GgufFile full = GgufReader.read(all, GgufLimits.DEFAULT);
        for (int len = 0; len < full.dataOffset() + 64; len += (len < 512 ? 1 : 97)) {
            byte[] prefix = java.util.Arrays.copyOf(all, len);
            assertThatThrownBy(() -> GgufReader.read(prefix, GgufLimits.DEFAULT))
                    .isInstanceOf(GgufFormatException.class);
        }
    }

    @Test
    void largeArraysAreCountedButNotKeptUnderScalarLimits() throws Exception {
        Path file = dir.resolve("s.gguf");
        SyntheticLlamaModel.write(SyntheticLlamaModel.Spec.tiny(), file);
        GgufFile g = GgufReader.read(file, new GgufLimits(1024, 1024, 1 << 20, 1 << 20, 10, 1 << 24));
        GgufValue tokens = g.metadata().get("tokenizer.ggml.tokens");
        assertThat(tokens).isInstanceOfSatisfying(GgufValue.Array.class, a -> {
            assertThat(a.retained()).isFalse();
            assertThat(a.length()).isGreaterThan(256);
        });
        assertThat(g.chatTemplate()).isPresent();
    }

    @Test
    void headerLargerThanTheLimitIsRefused() throws Exception {
        Path file = dir.resolve("h.gguf");
        SyntheticLlamaModel.write(SyntheticLlamaModel.Spec.tiny(), file);
        assertThatThrownBy(() -> GgufReader.read(file, new GgufLimits(1024, 1024, 1 << 20, 1 << 20, 10, 2048)))
                .isInstanceOfSatisfying(GgufFormatException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.LIMIT_EXCEEDED));
    }

    private static byte[] tensor(int nDims, long[] dims, int type, long offset) {
        Bytes b = new Bytes().magic().u32(3).u64(1).u64(0).str("t").u32(nDims);
        for (long d : dims) b.u64(d);
        return b.u32(type).u64(offset).padTo(32).zeros(64).bytes();
    }

    static void assertReason(byte[] file, Reason reason) {
        assertThatThrownBy(() -> GgufReader.read(file, GgufLimits.DEFAULT))
                .isInstanceOfSatisfying(GgufFormatException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    /** Little-endian byte builder for hand-made headers. */
    static final class Bytes {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Bytes magic() { return raw("GGUF".getBytes(StandardCharsets.US_ASCII)); }

        Bytes u8(int v) { out.write(v); return this; }

        Bytes u32(long v) {
            return raw(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
        }

        Bytes u64(long v) {
            return raw(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
        }

        Bytes str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            return u64(b.length).raw(b);
        }

        Bytes kv(String key, int type) { return str(key).u32(type); }

        Bytes padTo(int alignment) {
            while (out.size() % alignment != 0) out.write(0);
            return this;
        }

        Bytes zeros(int n) { return raw(new byte[n]); }

        Bytes raw(byte[] b) { out.writeBytes(b); return this; }

        byte[] bytes() { return out.toByteArray(); }
    }

}
