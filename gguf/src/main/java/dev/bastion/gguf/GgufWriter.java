package dev.bastion.gguf;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Writes GGUF v3 files: metadata, tensor infos, then tensor data, each tensor aligned to 32 bytes. Tensor data is
 * produced on demand so that large synthetic models are never held in memory at once.
 */
public final class GgufWriter {
    private static final int ALIGNMENT = 32;

    private interface Entry {
        void write(Out out) throws IOException;
    }

    private record Tensor(String name, GgmlType type, long[] dims, long bytes, Supplier<byte[]> data) {}

    private final List<Entry> metadata = new ArrayList<>();
    private final List<Tensor> tensors = new ArrayList<>();

    public GgufWriter put(String key, String value) {
        metadata.add(o -> { o.string(key); o.u32(GgufValueType.STRING.id()); o.string(value); });
        return this;
    }

    public GgufWriter putU32(String key, long value) {
        metadata.add(o -> { o.string(key); o.u32(GgufValueType.UINT32.id()); o.u32(value); });
        return this;
    }

    public GgufWriter putI32(String key, int value) {
        metadata.add(o -> { o.string(key); o.u32(GgufValueType.INT32.id()); o.u32(value); });
        return this;
    }

    public GgufWriter putF32(String key, float value) {
        metadata.add(o -> { o.string(key); o.u32(GgufValueType.FLOAT32.id()); o.u32(Float.floatToIntBits(value)); });
        return this;
    }

    public GgufWriter putBool(String key, boolean value) {
        metadata.add(o -> { o.string(key); o.u32(GgufValueType.BOOL.id()); o.u8(value ? 1 : 0); });
        return this;
    }

    public GgufWriter putStrings(String key, List<String> values) {
        List<String> copy = List.copyOf(values);
        metadata.add(o -> {
            o.string(key);
            o.u32(GgufValueType.ARRAY.id());
            o.u32(GgufValueType.STRING.id());
            o.u64(copy.size());
            for (String s : copy) o.string(s);
        });
        return this;
    }

    public GgufWriter putI32s(String key, int[] values) {
        int[] copy = values.clone();
        metadata.add(o -> {
            o.string(key);
            o.u32(GgufValueType.ARRAY.id());
            o.u32(GgufValueType.INT32.id());
            o.u64(copy.length);
            for (int v : copy) o.u32(v);
        });
        return this;
    }

    public GgufWriter putF32s(String key, float[] values) {
        float[] copy = values.clone();
        metadata.add(o -> {
            o.string(key);
            o.u32(GgufValueType.ARRAY.id());
            o.u32(GgufValueType.FLOAT32.id());
            o.u64(copy.length);
            for (float v : copy) o.u32(Float.floatToIntBits(v));
        });
        return this;
    }

    /**
     * Adds a tensor; {@code data} must return exactly the bytes the shape and type imply.
     *
     * @param dims innermost first, as ggml orders them
     */
    public GgufWriter tensor(String name, GgmlType type, long[] dims, Supplier<byte[]> data) {
        long elements = 1;
        for (long d : dims) elements *= d;
        if (dims[0] % type.blockSize() != 0) throw new IllegalArgumentException("row not a multiple of block size");
        tensors.add(new Tensor(name, type, dims.clone(), elements / type.blockSize() * type.blockBytes(), data));
        return this;
    }

    public void write(Path file) throws IOException {
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            Out out = new Out(os);
            out.u32(0x46554747);
            out.u32(3);
            out.u64(tensors.size());
            out.u64(metadata.size());
            for (Entry e : metadata) e.write(out);
            long offset = 0;
            for (Tensor t : tensors) {
                out.string(t.name);
                out.u32(t.dims.length);
                for (long d : t.dims) out.u64(d);
                out.u32(t.type.id());
                out.u64(offset);
                offset = GgufReader.align(offset + t.bytes, ALIGNMENT);
            }
            out.pad();
            for (Tensor t : tensors) {
                byte[] data = t.data.get();
                if (data.length != t.bytes) throw new IllegalStateException("tensor data size mismatch");
                out.bytes(data);
                out.pad();
            }
        }
    }

    /** Little-endian output that counts bytes for alignment padding. */
    private static final class Out {
        private final OutputStream os;
        private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        private long written;

        Out(OutputStream os) { this.os = os; }

        void u8(int v) throws IOException { os.write(v); written++; }

        void u32(long v) throws IOException {
            scratch.clear();
            scratch.putInt((int) v);
            os.write(scratch.array(), 0, 4);
            written += 4;
        }

        void u64(long v) throws IOException {
            scratch.clear();
            scratch.putLong(v);
            os.write(scratch.array(), 0, 8);
            written += 8;
        }

        void string(String s) throws IOException {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u64(b.length);
            bytes(b);
        }

        void bytes(byte[] b) throws IOException { os.write(b); written += b.length; }

        void pad() throws IOException {
            while (written % ALIGNMENT != 0) u8(0);
        }
    }

}
