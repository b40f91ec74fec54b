package dev.bastion.barrier;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * DEVELOPMENT ONLY: the root-key wrapping key sits in a plain file next to the data ({@code provider:
 * insecure-file}). Anyone who can read the file and the database reads everything, which is exactly what the
 * barrier exists to prevent — use a passphrase or PKCS#11 in production. Auto-unseals. Every open logs a warning.
 */
public final class InsecureFileKeyProvider implements KeyProvider {
    public static final String NAME = "insecure-file";
    private static final System.Logger LOG = System.getLogger(InsecureFileKeyProvider.class.getName());

    private final Path file;

    public InsecureFileKeyProvider(Path file) { this.file = file; }

    @Override public String name() { return NAME; }
    @Override public boolean autoUnseal() { return true; }

    @Override
    public KeyWrapper create(SecureRandom random) {
        byte[] key = new byte[AesKey.LENGTH];
        random.nextBytes(key);
        try {
            dev.bastion.common.PrivateFiles.directories(file.toAbsolutePath().getParent());
            String b64 = Base64.getEncoder().encodeToString(key) + "\n";
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            }
            Files.writeString(file, b64, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (FileAlreadyExistsException e) {
            Arrays.fill(key, (byte) 0);
            return open(null); // reuse the existing file: its fingerprint goes into the stored params
        } catch (IOException e) {
            throw new BarrierException(BarrierException.Kind.PROVIDER, "cannot write the insecure key file", e);
        }
        warn();
        return new AesKeyWrapper(Map.of("fingerprint", fingerprint(key)), key, random);
    }

    @Override
    public KeyWrapper open(Map<String, String> stored) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
        } catch (IOException | IllegalArgumentException e) {
            throw new BarrierException(BarrierException.Kind.PROVIDER, "cannot read the insecure key file", e);
        }
        if (key.length != AesKey.LENGTH) {
            throw new BarrierException(BarrierException.Kind.PROVIDER, "insecure key file does not hold a 256-bit key");
        }
        String fp = fingerprint(key);
        if (stored != null && stored.get("fingerprint") != null && !stored.get("fingerprint").equals(fp)) {
            Arrays.fill(key, (byte) 0);
            throw new BarrierException(BarrierException.Kind.UNSEAL_FAILED, "the key file is not the one this store was created with");
        }
        warn();
        return new AesKeyWrapper(Map.of("fingerprint", fp), key, new SecureRandom());
    }

    /** A short public fingerprint so that a wrong file fails clearly instead of as a tag mismatch. */
    private static String fingerprint(byte[] key) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(ChunkedAead.concat(
                    "bastion/insecure-file/fingerprint".getBytes(StandardCharsets.US_ASCII), key));
            return HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void warn() {
        LOG.log(System.Logger.Level.WARNING, "barrier key provider 'insecure-file' in use: the wrapping key is a plain "
                + "file on disk. Development only; use 'passphrase' or 'pkcs11' in production.");
    }

    @Override
    public String toString() { return "InsecureFileKeyProvider[" + file + "]"; }
}
