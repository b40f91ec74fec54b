package dev.bastion.tls;

import dev.bastion.barrier.Passphrase;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** PEM and PKCS#12 reading and writing (BouncyCastle's parser: PKCS#8, encrypted PKCS#8, and traditional keys). */
final class Pem {
    static final BouncyCastleProvider BC = new BouncyCastleProvider();

    private Pem() {}

    static List<X509Certificate> certificates(Path file) {
        List<X509Certificate> out = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            JcaX509CertificateConverter conv = new JcaX509CertificateConverter();
            for (Object o; (o = p.readObject()) != null; ) {
                if (o instanceof X509CertificateHolder h) out.add(conv.getCertificate(h));
            }
        } catch (IOException | java.security.cert.CertificateException | RuntimeException e) {
            throw new TlsException("cannot read certificates from " + file, e);
        }
        if (out.isEmpty()) throw new TlsException("no certificate in " + file);
        return out;
    }

    static PrivateKey privateKey(Path file, Passphrase password) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
            for (Object o; (o = p.readObject()) != null; ) {
                if (o instanceof PrivateKeyInfo info) return conv.getPrivateKey(info);
                if (o instanceof PEMKeyPair kp) return conv.getPrivateKey(kp.getPrivateKeyInfo());
                if (o instanceof PKCS8EncryptedPrivateKeyInfo enc) {
                    char[] pw = requirePassword(password, file);
                    try {
                        return conv.getPrivateKey(enc.decryptPrivateKeyInfo(
                                new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BC).build(pw)));
                    } finally {
                        java.util.Arrays.fill(pw, '\0');
                    }
                }
                if (o instanceof PEMEncryptedKeyPair enc) {
                    char[] pw = requirePassword(password, file);
                    try {
                        return conv.getPrivateKey(enc.decryptKeyPair(new JcePEMDecryptorProviderBuilder().setProvider(BC).build(pw)).getPrivateKeyInfo());
                    } finally {
                        java.util.Arrays.fill(pw, '\0');
                    }
                }
            }
        } catch (TlsException e) {
            throw e;
        } catch (Exception e) {
            throw new TlsException("cannot read the private key from " + file, e);
        }
        throw new TlsException("no private key in " + file);
    }

    private static char[] requirePassword(Passphrase password, Path file) {
        if (password == null) throw new TlsException("the private key in " + file + " is encrypted and no password is configured");
        return password.chars();
    }

    /** The first key entry of a PKCS#12 file: its key and chain. */
    static KeyStore.PrivateKeyEntry pkcs12(Path file, Passphrase password) {
        char[] pw = password == null ? new char[0] : password.chars();
        try (var in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, pw);
            for (String alias : Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(alias)) {
                    return (KeyStore.PrivateKeyEntry) ks.getEntry(alias, new KeyStore.PasswordProtection(pw));
                }
            }
        } catch (Exception e) {
            throw new TlsException("cannot read PKCS#12 file " + file, e);
        } finally {
            java.util.Arrays.fill(pw, '\0');
        }
        throw new TlsException("no key entry in PKCS#12 file " + file);
    }

    static String encode(Object... objects) {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            for (Object o : objects) {
                if (o instanceof PrivateKey pk) w.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(pk, null)); // PKCS#8
                else w.writeObject(o);
            }
        } catch (IOException e) {
            throw new TlsException("cannot encode PEM", e);
        }
        return sw.toString();
    }

    /**
     * Writes atomically (temp file + move, forced to disk); like every file Bastion creates, readable by its own
     * account only ({@code secret} is kept for callers; certificates are private files too).
     */
    static void write(Path file, String pem, boolean secret) {
        try {
            dev.bastion.common.PrivateFiles.writeAtomically(file, pem.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new TlsException("cannot write " + file, e);
        }
    }
}
