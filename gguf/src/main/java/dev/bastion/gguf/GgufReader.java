package dev.bastion.gguf;

import dev.bastion.gguf.GgufFormatException.Reason;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the header of a GGUF file (v2 and v3, little-endian): metadata and tensor infos, never the tensor data.
 * Files may be hostile: every count and length is checked against {@link GgufLimits} and against the bytes left in
 * the file before anything is allocated, and every problem is a {@link GgufFormatException} with a {@link Reason}.
 */
public final class GgufReader {
    private static final int MAGIC = 0x46554747; // "GGUF" little-endian
    /** ggml's GGML_MAX_NAME is 64 including the terminating NUL. */
    private static final int MAX_TENSOR_NAME = 63;
    private static final int MAX_DIMS = 4;

    private final Input in;
    private final GgufLimits limits;

    private GgufReader(Input in, GgufLimits limits) {
        this.in = in;
        this.limits = limits;
    }

    public static GgufFile read(Path file) throws IOException, GgufFormatException {
        return read(file, GgufLimits.DEFAULT);
    }

    /** @throws IOException when the file cannot be read at all (not found, permissions) */
    public static GgufFile read(Path file, GgufLimits limits) throws IOException, GgufFormatException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return new GgufReader(new Input(ch, ch.size()), limits).parse();
        }
    }

    /** Reads a header held in memory (tests, fuzzing); the array is the whole file. */
    public static GgufFile read(byte[] file, GgufLimits limits) throws GgufFormatException {
        try {
            var ch = Channels.newChannel(new java.io.ByteArrayInputStream(file));
            return new GgufReader(new Input(ch, file.length), limits).parse();
        } catch (IOException e) {
            throw new GgufFormatException(Reason.IO, 0, e.getClass().getSimpleName());
        }
    }

    private GgufFile parse() throws IOException, GgufFormatException {
        if (in.size < 4 || in.u32() != MAGIC) throw fail(Reason.NOT_GGUF, "missing GGUF magic");
        long version = in.u32();
        if (version != 2 && version != 3) throw fail(Reason.UNSUPPORTED_VERSION, "version " + version);
        long tensorCount = in.u64();
        long kvCount = in.u64();
        if (tensorCount < 0 || tensorCount > limits.maxTensors()) throw fail(Reason.LIMIT_EXCEEDED, "tensor count");
        if (kvCount < 0 || kvCount > limits.maxKeyValues()) throw fail(Reason.LIMIT_EXCEEDED, "metadata count");

        Map<String, GgufValue> metadata = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            String key = string("metadata key");
            if (key.isEmpty()) throw fail(Reason.INVALID_VALUE, "empty metadata key");
            GgufValueType type = type(in.u32());
            GgufValue value = value(type);
            if (metadata.putIfAbsent(key, value) != null) throw fail(Reason.DUPLICATE_KEY, "metadata key repeated");
            checkHeaderSize();
        }

        long alignment = 32;
        GgufValue align = metadata.get("general.alignment");
        if (align != null) {
            if (!(align instanceof GgufValue.Scalar s) || s.type() != GgufValueType.UINT32
                    || !(s.value() instanceof Long a) || a <= 0 || Long.bitCount(a) != 1) {
                throw fail(Reason.INVALID_VALUE, "general.alignment must be a power of two (uint32)");
            }
            alignment = (Long) s.value();
        }

        List<TensorInfo> infos = new ArrayList<>((int) Math.min(tensorCount, 4096));
        var names = new HashSet<String>();
        for (long i = 0; i < tensorCount; i++) {
            infos.add(tensorInfo(alignment, names));
            checkHeaderSize();
        }
        long dataOffset = align(in.position, alignment);
        long dataBytes = in.size - dataOffset;
        for (TensorInfo t : infos) {
            if (t.offset() > dataBytes || t.bytes() > dataBytes - t.offset()) {
                throw new GgufFormatException(Reason.TRUNCATED, dataOffset + t.offset(),
                        "tensor data extends past end of file");
            }
        }
        return new GgufFile((int) version, alignment, metadata, infos, dataOffset);
    }

    private TensorInfo tensorInfo(long alignment, java.util.Set<String> names)
            throws IOException, GgufFormatException {
        long at = in.position;
        String name = string("tensor name");
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_TENSOR_NAME) {
            throw new GgufFormatException(Reason.INVALID_TENSOR, at, "tensor name longer than 63 bytes");
        }
        if (!names.add(name)) throw new GgufFormatException(Reason.INVALID_TENSOR, at, "tensor name repeated");
        long nDims = in.u32();
        if (nDims < 1 || nDims > MAX_DIMS) throw new GgufFormatException(Reason.INVALID_TENSOR, at, "dimension count");
        long[] dims = new long[(int) nDims];
        long elements = 1;
        for (int d = 0; d < nDims; d++) {
            dims[d] = in.u64();
            if (dims[d] < 0) throw new GgufFormatException(Reason.INVALID_TENSOR, at, "negative dimension");
            try {
                elements = Math.multiplyExact(elements, dims[d]);
            } catch (ArithmeticException e) {
                throw new GgufFormatException(Reason.INVALID_TENSOR, at, "element count overflows");
            }
        }
        GgmlType type = GgmlType.byId(in.u32());
        if (type == null) throw new GgufFormatException(Reason.INVALID_TENSOR, at, "unknown tensor type");
        if (dims[0] % type.blockSize() != 0) {
            throw new GgufFormatException(Reason.INVALID_TENSOR, at, "row length not a multiple of the block size");
        }
        long offset = in.u64();
        if (offset < 0 || offset % alignment != 0) {
            throw new GgufFormatException(Reason.INVALID_TENSOR, at, "tensor offset not aligned");
        }
        long bytes;
        try {
            bytes = Math.multiplyExact(elements / type.blockSize(), type.blockBytes());
        } catch (ArithmeticException e) {
            throw new GgufFormatException(Reason.INVALID_TENSOR, at, "tensor size overflows");
        }
        return new TensorInfo(name, dims, type, offset, bytes);
    }

    private GgufValue value(GgufValueType type) throws IOException, GgufFormatException {
        return switch (type) {
            case STRING -> new GgufValue.Text(string("string value"));
            case ARRAY -> array();
            default -> new GgufValue.Scalar(type, scalar(type));
        };
    }

    private GgufValue array() throws IOException, GgufFormatException {
        GgufValueType elementType = type(in.u32());
        if (elementType == GgufValueType.ARRAY) throw fail(Reason.INVALID_TYPE, "nested arrays are not supported");
        long length = in.u64();
        if (length < 0 || length > limits.maxArrayElements()) throw fail(Reason.LIMIT_EXCEEDED, "array length");
        // a string element takes at least its 8-byte length: no array can claim more elements than bytes allow
        long minBytes = elementType == GgufValueType.STRING ? 8 : elementType.size();
        if (length > in.remaining() / minBytes) throw fail(Reason.TRUNCATED, "array longer than the file");
        boolean keep = length <= limits.maxRetainedElements();
        List<Object> values = keep ? new ArrayList<>((int) length) : null;
        for (long i = 0; i < length; i++) {
            if (elementType == GgufValueType.STRING) {
                if (keep) values.add(string("array element"));
                else skipString();
            } else if (keep) {
                values.add(scalar(elementType));
            } else {
                in.skip((long) elementType.size() * (length - i));
                break;
            }
            if ((i & 1023) == 0) checkHeaderSize();
        }
        return new GgufValue.Array(elementType, length, values == null ? null : List.copyOf(values));
    }

    private Object scalar(GgufValueType type) throws IOException, GgufFormatException {
        return switch (type) {
            case UINT8 -> (long) in.u8();
            case INT8 -> (long) (byte) in.u8();
            case UINT16 -> (long) in.u16();
            case INT16 -> (long) (short) in.u16();
            case UINT32 -> in.u32();
            case INT32 -> (long) (int) in.u32();
            case UINT64, INT64 -> in.u64raw();
            case FLOAT32 -> (double) Float.intBitsToFloat((int) in.u32());
            case FLOAT64 -> Double.longBitsToDouble(in.u64raw());
            case BOOL -> {
                int b = in.u8();
                if (b > 1) throw fail(Reason.INVALID_VALUE, "bool must be 0 or 1");
                yield b == 1;
            }
            case STRING, ARRAY -> throw new IllegalStateException("not a scalar");
        };
    }

    private String string(String what) throws IOException, GgufFormatException {
        long len = in.u64();
        if (len < 0 || len > limits.maxStringBytes()) throw fail(Reason.LIMIT_EXCEEDED, what + " length");
        if (len > in.remaining()) throw fail(Reason.TRUNCATED, what + " longer than the file");
        return new String(in.bytes((int) len), StandardCharsets.UTF_8);
    }

    private void skipString() throws IOException, GgufFormatException {
        long len = in.u64();
        if (len < 0 || len > limits.maxStringBytes()) throw fail(Reason.LIMIT_EXCEEDED, "array element length");
        in.skip(len);
    }

    private GgufValueType type(long id) throws GgufFormatException {
        GgufValueType t = GgufValueType.byId(id);
        if (t == null) throw fail(Reason.INVALID_TYPE, "unknown value type " + id);
        return t;
    }

    private void checkHeaderSize() throws GgufFormatException {
        if (in.position > limits.maxHeaderBytes()) throw fail(Reason.LIMIT_EXCEEDED, "header size");
    }

    private GgufFormatException fail(Reason reason, String message) {
        return new GgufFormatException(reason, in.position, message);
    }

    static long align(long offset, long alignment) {
        return (offset + alignment - 1) / alignment * alignment;
    }

    /** Sequential little-endian input over a channel of known size. */
    private static final class Input {
        private final ReadableByteChannel ch;
        private final long size;
        private final ByteBuffer buf = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
        long position;

        Input(ReadableByteChannel ch, long size) {
            this.ch = ch;
            this.size = size;
            buf.limit(0);
        }

        long remaining() { return size - position; }

        private void need(int n) throws IOException, GgufFormatException {
            if (remaining() < n) throw new GgufFormatException(Reason.TRUNCATED, position, "unexpected end of file");
            if (buf.remaining() >= n) return;
            buf.compact();
            while (buf.position() < n) {
                if (ch.read(buf) < 0) {
                    buf.flip();
                    throw new GgufFormatException(Reason.TRUNCATED, position, "unexpected end of file");
                }
            }
            buf.flip();
        }

        int u8() throws IOException, GgufFormatException {
            need(1);
            position += 1;
            return buf.get() & 0xff;
        }

        int u16() throws IOException, GgufFormatException {
            need(2);
            position += 2;
            return buf.getShort() & 0xffff;
        }

        long u32() throws IOException, GgufFormatException {
            need(4);
            position += 4;
            return buf.getInt() & 0xffffffffL;
        }

        /** A u64 used as a count or offset: values that do not fit a signed long come back negative. */
        long u64() throws IOException, GgufFormatException {
            return u64raw();
        }

        long u64raw() throws IOException, GgufFormatException {
            need(8);
            position += 8;
            return buf.getLong();
        }

        byte[] bytes(int n) throws IOException, GgufFormatException {
            if (remaining() < n) throw new GgufFormatException(Reason.TRUNCATED, position, "unexpected end of file");
            byte[] out = new byte[n];
            int off = 0;
            while (off < n) {
                if (!buf.hasRemaining()) need(1);
                int k = Math.min(buf.remaining(), n - off);
                buf.get(out, off, k);
                off += k;
                position += k;
            }
            return out;
        }

        void skip(long n) throws IOException, GgufFormatException {
            if (n < 0 || remaining() < n) {
                throw new GgufFormatException(Reason.TRUNCATED, position, "unexpected end of file");
            }
            long left = n;
            while (left > 0) {
                if (!buf.hasRemaining()) need(1);
                int k = (int) Math.min(buf.remaining(), left);
                buf.position(buf.position() + k);
                left -= k;
                position += k;
            }
        }
    }

}
