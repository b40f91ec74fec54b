package dev.bastion.barrier;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KDF;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.HKDFParameterSpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Chunked AEAD for large values (the STREAM construction): the value is cut into chunks of {@code 2^shift} bytes,
 * each sealed with AES-256-GCM under a per-value key derived by HKDF-SHA-256 from the data key and a random salt.
 * Chunk nonce = 7 zero bytes ‖ chunk index (4 bytes) ‖ last-chunk flag (1 byte), associated data = the full header
 * ‖ path, so chunks cannot be reordered, dropped, truncated or moved to another value. Chunking also sidesteps the
 * JDK's slow path for AES-GCM over one huge buffer before the JIT has compiled it.
 * <p>Layout: {@code prefix (version ‖ key id ‖ path check) ‖ shift (1) ‖ salt (16) ‖ chunk* }, chunk = ct ‖ tag.
 */
final class ChunkedAead {
    static final int SALT = 16;
    static final int HEADER_EXTRA = 1 + SALT;
    static final int DEFAULT_SHIFT = 16;        // 64 KiB chunks
    static final int MIN_SHIFT = 10, MAX_SHIFT = 24;
    private static final byte[] INFO = "bastion/chunked/v1".getBytes(StandardCharsets.US_ASCII);

    private ChunkedAead() {}

    /** The per-value state shared by the array and stream forms. */
    static final class Sealer {
        final byte[] header;    // prefix ‖ shift ‖ salt
        final byte[] ad;        // header ‖ path
        final int chunkSize;
        private final AesKey valueKey;
        private final Cipher cipher;
        private final byte[] nonce = new byte[Envelope.NONCE];
        private final int mode;
        private int index;

        Sealer(byte[] header, byte[] path, AesKey dataKey, int mode) {
            this.header = header;
            this.ad = concat(header, path);
            this.chunkSize = 1 << header[header.length - HEADER_EXTRA];
            int saltAt = header.length - SALT;
            this.valueKey = new AesKey(derive(dataKey, Arrays.copyOfRange(header, saltAt, saltAt + SALT)));
            this.mode = mode;
            try {
                this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-GCM unavailable", e);
            }
        }

        /** Seals or opens one chunk; returns the number of bytes written to {@code out}. */
        int chunk(byte[] in, int off, int len, boolean last, byte[] out, int outOff) {
            if (index < 0) throw new IllegalStateException("too many chunks");
            Envelope.putInt(nonce, 7, index++);
            nonce[11] = (byte) (last ? 1 : 0);
            try {
                cipher.init(mode, valueKey, new GCMParameterSpec(Envelope.TAG_BITS, nonce));
                cipher.updateAAD(ad);
                return cipher.doFinal(in, off, len, out, outOff);
            } catch (AEADBadTagException e) {
                throw new BarrierException(BarrierException.Kind.TAMPERED, "chunk " + (index - 1) + " failed authentication");
            } catch (GeneralSecurityException e) {
                throw new BarrierException(BarrierException.Kind.TAMPERED, "chunk " + (index - 1) + " could not be processed", e);
            }
        }

        void destroy() { valueKey.destroy(); }
    }

    static byte[] newHeader(byte version, long keyId, byte[] path, int shift, SecureRandom random) {
        int prefix = Envelope.prefixLength(version);
        byte[] header = new byte[prefix + HEADER_EXTRA];
        Envelope.writePrefix(header, version, keyId, Envelope.pathCheck(path));
        header[prefix] = (byte) shift;
        byte[] salt = new byte[SALT];
        random.nextBytes(salt);
        System.arraycopy(salt, 0, header, prefix + 1, SALT);
        return header;
    }

    static long sealedLength(long plaintextLength, int prefix, int shift) {
        long chunks = Math.max(1, (plaintextLength + (1L << shift) - 1) >>> shift);
        return prefix + HEADER_EXTRA + plaintextLength + chunks * Envelope.TAG;
    }

    static byte[] seal(AesKey dataKey, byte version, long keyId, byte[] path, byte[] pt, int shift, SecureRandom random) {
        byte[] header = newHeader(version, keyId, path, shift, random);
        long total = sealedLength(pt.length, header.length - HEADER_EXTRA, shift);
        if (total > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("value too large for one array: use the stream form");
        byte[] out = new byte[(int) total];
        System.arraycopy(header, 0, out, 0, header.length);
        Sealer s = new Sealer(header, path, dataKey, Cipher.ENCRYPT_MODE);
        try {
            int cs = s.chunkSize, in = 0, o = header.length;
            do {
                int n = Math.min(cs, pt.length - in);
                boolean last = in + n == pt.length;
                o += s.chunk(pt, in, n, last, out, o);
                in += n;
                if (last) break;
            } while (true);
            return out;
        } finally {
            s.destroy();
        }
    }

    static byte[] open(AesKey dataKey, Envelope.Header h, byte[] path, byte[] ct) {
        int headerLength = h.prefixLength() + HEADER_EXTRA;
        int shift = ct[h.prefixLength()];
        if (shift < MIN_SHIFT || shift > MAX_SHIFT) throw Envelope.malformed();
        long plain = plaintextLength(ct.length - headerLength, shift);
        byte[] out = new byte[(int) plain];
        Sealer s = new Sealer(Arrays.copyOf(ct, headerLength), path, dataKey, Cipher.DECRYPT_MODE);
        try {
            int full = s.chunkSize + Envelope.TAG, in = headerLength, o = 0;
            while (true) {
                int n = Math.min(full, ct.length - in);
                boolean last = in + n == ct.length;
                o += s.chunk(ct, in, n, last, out, o);
                in += n;
                if (last) return out;
            }
        } finally {
            s.destroy();
        }
    }

    /** Plaintext length for a body of sealed chunks; malformed when the last chunk cannot even hold a tag. */
    static long plaintextLength(long body, int shift) {
        long full = (1L << shift) + Envelope.TAG;
        if (body < Envelope.TAG) throw Envelope.malformed();
        long chunks = body / full, rest = body % full;
        if (rest != 0 && rest < Envelope.TAG) throw Envelope.malformed();
        if (rest != 0) chunks++;
        return body - chunks * Envelope.TAG;
    }

    static byte[] derive(AesKey dataKey, byte[] salt) {
        try {
            KDF hkdf = KDF.getInstance("HKDF-SHA256");
            return hkdf.deriveData(HKDFParameterSpec.ofExtract().addIKM(dataKey).addSalt(salt)
                    .thenExpand(INFO, AesKey.LENGTH));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HKDF unavailable", e);
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
