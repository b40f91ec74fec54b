package dev.bastion.telemetry;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The few protobuf wire-format writes the OTLP trace export needs (varints, fixed64, length-delimited fields), into a
 * growable array. Nested messages are written into a second writer and copied in with their length, one level at
 * a time; small fixed parts are encoded once. Builds the same bytes as the OTLP protobuf classes without a message
 * object per span and attribute (the exporter's cost per span is what tracing adds to the server's CPU).
 */
final class ProtoWriter {
    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LENGTH = 2;
    private byte[] buf;
    private int size;

    ProtoWriter(int capacity) {
        this.buf = new byte[capacity];
    }

    int size() { return size; }

    void reset() { size = 0; }

    byte[] toByteArray() { return Arrays.copyOf(buf, size); }

    void varintField(int field, long value) {
        tag(field, VARINT);
        varint(value);
    }

    void fixed64Field(int field, long value) {
        tag(field, FIXED64);
        ensure(8);
        for (int i = 0; i < 8; i++) buf[size++] = (byte) (value >>> (8 * i));
    }

    void bytesField(int field, byte[] value) {
        bytesField(field, value, 0, value.length);
    }

    void bytesField(int field, byte[] value, int from, int length) {
        tag(field, LENGTH);
        varint(length);
        ensure(length);
        System.arraycopy(value, from, buf, size, length);
        size += length;
    }

    void stringField(int field, String value) { bytesField(field, utf8(value)); }

    /** A nested message already written into {@code inner}. */
    void messageField(int field, ProtoWriter inner) { bytesField(field, inner.buf, 0, inner.size); }

    /** An id (8 or 16 bytes, big-endian as OTLP wants them). */
    void idField(int field, long hi, long lo, boolean wide) {
        tag(field, LENGTH);
        varint(wide ? 16 : 8);
        ensure(16);
        if (wide) putLong(hi);
        putLong(lo);
    }

    /** The head of a length-delimited field whose {@code length} bytes of content the caller writes next. */
    void lengthHeader(int field, int length) {
        tag(field, LENGTH);
        varint(length);
    }

    /** Raw bytes already encoded as fields (a pre-encoded part). */
    void raw(byte[] encoded) {
        ensure(encoded.length);
        System.arraycopy(encoded, 0, buf, size, encoded.length);
        size += encoded.length;
    }

    static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    static int varintSize(long v) {
        int n = 1;
        while ((v & ~0x7FL) != 0) {
            n++;
            v >>>= 7;
        }
        return n;
    }

    private void putLong(long v) {
        for (int i = 7; i >= 0; i--) buf[size++] = (byte) (v >>> (8 * i));
    }

    private void tag(int field, int wireType) { varint(((long) field << 3) | wireType); }

    private void varint(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
    }

    private void ensure(int more) {
        if (size + more > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
    }
}
