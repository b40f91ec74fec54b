package dev.bastion.backend;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** HTTP/1.1 message body framing: Content-Length, chunked, or until the connection closes. */
final class BodyStreams {
    private BodyStreams() {}

    /** A body stream that knows whether it was read to its end (so the connection can be reused). */
    abstract static class Body extends InputStream {
        abstract boolean finished();
    }

    static final class FixedLength extends Body {
        private final InputStream in;
        private long remaining;

        FixedLength(InputStream in, long length) {
            this.in = in;
            this.remaining = length;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) return -1;
            int b = in.read();
            if (b < 0) throw new EOFException("backend closed the connection mid-body");
            remaining--;
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            if (remaining <= 0) return -1;
            int n = in.read(buf, off, (int) Math.min(len, remaining));
            if (n < 0) throw new EOFException("backend closed the connection mid-body");
            remaining -= n;
            return n;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(in.available(), remaining);
        }

        @Override
        boolean finished() { return remaining == 0; }
    }

    static final class Chunked extends Body {
        private static final int MAX_LINE = 4096;
        private final UpstreamInput in;
        private final byte[] one = new byte[1];
        private long chunkLeft;
        private boolean done;

        Chunked(UpstreamInput in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            if (done) return -1;
            if (chunkLeft == 0) {
                chunkLeft = nextChunkSize();
                if (chunkLeft == 0) {
                    skipTrailers();
                    done = true;
                    return -1;
                }
            }
            int n = in.read(buf, off, (int) Math.min(len, chunkLeft));
            if (n < 0) throw new EOFException("backend closed the connection mid-chunk");
            chunkLeft -= n;
            if (chunkLeft == 0) expectCrlf();
            return n;
        }

        @Override
        public int available() throws IOException {
            if (done) return 0;
            return chunkLeft > 0 ? (int) Math.min(in.available(), chunkLeft) : in.available();
        }

        @Override
        boolean finished() { return done; }

        private long nextChunkSize() throws IOException {
            String line = in.readLine(MAX_LINE);
            int semi = line.indexOf(';');
            String hex = (semi >= 0 ? line.substring(0, semi) : line).strip();
            if (hex.isEmpty() || hex.length() > 15) throw new IOException("malformed chunk size from backend");
            try {
                long size = Long.parseLong(hex, 16);
                if (size < 0) throw new IOException("malformed chunk size from backend");
                return size;
            } catch (NumberFormatException e) {
                throw new IOException("malformed chunk size from backend");
            }
        }

        private void expectCrlf() throws IOException {
            String line = in.readLine(2);
            if (!line.isEmpty()) throw new IOException("malformed chunk end from backend");
        }

        private void skipTrailers() throws IOException {
            for (int i = 0; i < 100; i++) {
                if (in.readLine(MAX_LINE).isEmpty()) return;
            }
            throw new IOException("too many trailers from backend");
        }
    }

    /** Read until the server closes the connection; never reusable. */
    static final class UntilClose extends Body {
        private final InputStream in;

        UntilClose(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException { return in.read(); }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException { return in.read(buf, off, len); }

        @Override
        public int available() throws IOException { return in.available(); }

        @Override
        boolean finished() { return false; }
    }
}
