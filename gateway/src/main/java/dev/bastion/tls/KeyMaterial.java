package dev.bastion.tls;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/** Builds JSSE key and trust managers from certificates and keys (shared by server, mTLS and upstream sides). */
final class KeyMaterial {
    private KeyMaterial() {}

    /** Leaf-first chain and key, whatever file format they came from. */
    record Loaded(List<X509Certificate> chain, PrivateKey key) {}

    static Loaded load(ServerTls.Source source) {
        return switch (source) {
            case ServerTls.Source.PemFiles f -> new Loaded(Pem.certificates(f.chain()), Pem.privateKey(f.key(), f.keyPassword()));
            case ServerTls.Source.Pkcs12File f -> {
                KeyStore.PrivateKeyEntry e = Pem.pkcs12(f.file(), f.password());
                List<X509Certificate> chain = java.util.Arrays.stream(e.getCertificateChain()).map(c -> (X509Certificate) c).toList();
                yield new Loaded(chain, e.getPrivateKey());
            }
        };
    }

    static X509ExtendedKeyManager keyManager(Loaded m) {
        try {
            char[] pw = "transient".toCharArray(); // the keystore lives only in memory
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("bastion", m.key(), pw, m.chain().toArray(X509Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("NewSunX509");
            kmf.init(ks, pw);
            for (KeyManager km : kmf.getKeyManagers()) if (km instanceof X509ExtendedKeyManager x) return x;
        } catch (Exception e) {
            throw new TlsException("cannot build a key manager", e);
        }
        throw new TlsException("no X509 key manager available");
    }

    static X509ExtendedTrustManager trustManager(List<X509Certificate> anchors) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            int i = 0;
            for (X509Certificate c : anchors) ks.setCertificateEntry("ca-" + i++, c);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(ks);
            for (TrustManager tm : tmf.getTrustManagers()) if (tm instanceof X509ExtendedTrustManager x) return x;
        } catch (Exception e) {
            throw new TlsException("cannot build a trust manager", e);
        }
        throw new TlsException("no X509 trust manager available");
    }

    /** The JDK's default trust (the cacerts file) for upstreams without a custom CA. */
    static X509ExtendedTrustManager systemTrust() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init((KeyStore) null);
            for (TrustManager tm : tmf.getTrustManagers()) if (tm instanceof X509ExtendedTrustManager x) return x;
        } catch (Exception e) {
            throw new TlsException("cannot load the system trust store", e);
        }
        throw new TlsException("no X509 trust manager available");
    }

    static List<X509Certificate> anchors(Path caFile) { return Pem.certificates(caFile); }
}
