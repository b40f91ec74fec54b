package dev.bastion.barrier;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Stream forms of {@link ChunkedAead}: values of any size in constant memory (one chunk). */
final class ChunkedStreams {
    private ChunkedStreams() {}

    /** Buffers one chunk; a full chunk is sealed only once more data arrives, so the last one carries the flag. */
    static final class Encrypting extends OutputStream {
        private final OutputStream sink;
        private final ChunkedAead.Sealer sealer;
        private final byte[] buf, out;
        private final Runnable check;
        private int filled;
        private boolean closed;

        Encrypting(OutputStream sink, ChunkedAead.Sealer sealer, Runnable check) throws IOException {
            this.sink = sink;
            this.sealer = sealer;
            this.check = check;
            this.buf = new byte[sealer.chunkSize];
            this.out = new byte[sealer.chunkSize + Envelope.TAG];
            sink.write(sealer.header);
        }

        @Override
        public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (closed) throw new IOException("stream closed");
            while (len > 0) {
                if (filled == buf.length) emit(false);
                int n = Math.min(len, buf.length - filled);
                System.arraycopy(b, off, buf, filled, n);
                filled += n;
                off += n;
                len -= n;
            }
        }

        private void emit(boolean last) throws IOException {
            check.run();
            int n = sealer.chunk(buf, 0, filled, last, out, 0);
            check.run(); // sealed while encrypting: the chunk may be garbage, never let it out
            sink.write(out, 0, n);
            filled = 0;
        }

        @Override
        public void close() throws IOException {
            if (closed) return;
            closed = true;
            try {
                emit(true);
                sink.close();
            } finally {
                sealer.destroy();
                java.util.Arrays.fill(buf, (byte) 0);
            }
        }
    }

    /** Reads one chunk plus one byte of look-ahead so that it knows which chunk must carry the last flag. */
    static final class Decrypting extends InputStream {
        private final InputStream source;
        private final ChunkedAead.Sealer opener;
        private final byte[] in, plain;
        private int inFilled, pos, limit;
        private boolean done;

        Decrypting(InputStream source, ChunkedAead.Sealer opener) {
            this.source = source;
            this.opener = opener;
            this.in = new byte[opener.chunkSize + Envelope.TAG + 1];
            this.plain = new byte[opener.chunkSize];
        }

        private boolean fill() throws IOException {
            while (pos == limit) {
                if (done) return false;
                inFilled += source.readNBytes(in, inFilled, in.length - inFilled);
                boolean last = inFilled < in.length;
                int chunk = last ? inFilled : in.length - 1;
                if (chunk < Envelope.TAG) {
                    throw new BarrierException(BarrierException.Kind.TAMPERED, "value truncated");
                }
                limit = opener.chunk(in, 0, chunk, last, plain, 0);
                pos = 0;
                if (last) {
                    done = true;
                    inFilled = 0;
                } else {
                    in[0] = in[in.length - 1];
                    inFilled = 1;
                }
            }
            return true;
        }

        @Override
        public int read() throws IOException {
            if (!fill()) return -1;
            return plain[pos++] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            if (!fill()) return -1;
            int n = Math.min(len, limit - pos);
            System.arraycopy(plain, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public void close() throws IOException {
            opener.destroy();
            java.util.Arrays.fill(plain, (byte) 0);
            source.close();
        }
    }
}
