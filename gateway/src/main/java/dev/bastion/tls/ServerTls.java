package dev.bastion.tls;

import dev.bastion.barrier.Passphrase;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Server-side TLS: TLS 1.3 only unless 1.2 is explicitly allowed, a certificate from PEM or PKCS#12 files (or
 * {@link GeneratedTls}), optional client-certificate authentication against a configured CA, and {@link #reload()}
 * without restart: the {@link SSLContext} is built once around reloading key/trust managers, so listeners keep it
 * and every new handshake uses the current files.
 */
public final class ServerTls {

    public enum ClientAuth { NONE, OPTIONAL, REQUIRED }

    /** Where the server certificate and key come from. */
    public sealed interface Source {
        /** Leaf-first PEM chain and a PKCS#8 (optionally encrypted) or traditional PEM key. */
        record PemFiles(Path chain, Path key, Passphrase keyPassword) implements Source {}

        /** A PKCS#12 file; its first key entry is used. */
        record Pkcs12File(Path file, Passphrase password) implements Source {}
    }

    /**
     * @param clientCa PEM bundle of CAs whose client certificates are accepted (required unless clientAuth is NONE)
     */
    public record Config(Source source, boolean allowTls12, ClientAuth clientAuth, Path clientCa) {
        public Config {
            if (clientAuth != ClientAuth.NONE && clientCa == null) throw new TlsException("client authentication needs a client CA file");
        }

        public static Config of(Source source) { return new Config(source, false, ClientAuth.NONE, null); }
    }

    private final Config config;
    private final ReloadingKeyManager keyManager;
    private final ReloadingTrustManager trustManager;
    private final SSLContext context;
    private volatile X509Certificate certificate;
    private volatile List<Object> stamps;

    private ServerTls(Config config) {
        this.config = config;
        List<Object> before = stamps();
        KeyMaterial.Loaded m = KeyMaterial.load(config.source());
        this.keyManager = new ReloadingKeyManager(KeyMaterial.keyManager(m));
        this.trustManager = config.clientAuth() == ClientAuth.NONE ? null
                : new ReloadingTrustManager(KeyMaterial.trustManager(KeyMaterial.anchors(config.clientCa())));
        this.certificate = m.chain().getFirst();
        this.stamps = before;
        try {
            context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {keyManager}, trustManager == null ? null : new TrustManager[] {trustManager}, null);
        } catch (Exception e) {
            throw new TlsException("cannot create the TLS context", e);
        }
    }

    public static ServerTls load(Config config) { return new ServerTls(config); }

    public SSLContext sslContext() { return context; }

    /** Protocols (TLS 1.3, plus 1.2 if allowed) and client-auth mode; apply to every server socket or engine. */
    public SSLParameters sslParameters() {
        SSLParameters p = context.getDefaultSSLParameters();
        p.setProtocols(protocols().toArray(String[]::new));
        p.setNeedClientAuth(config.clientAuth() == ClientAuth.REQUIRED);
        if (config.clientAuth() == ClientAuth.OPTIONAL) p.setWantClientAuth(true);
        return p;
    }

    public List<String> protocols() { return config.allowTls12() ? List.of("TLSv1.3", "TLSv1.2") : List.of("TLSv1.3"); }

    /** The listener configuration for Helidon's WebServer ({@code WebServer.builder().tls(...)}). */
    public io.helidon.common.tls.Tls helidonTls() {
        return io.helidon.common.tls.Tls.builder()
                .sslContext(context)
                .sslParameters(sslParameters())
                .enabledProtocols(protocols())
                .clientAuth(switch (config.clientAuth()) {
                    case NONE -> io.helidon.common.tls.TlsClientAuth.NONE;
                    case OPTIONAL -> io.helidon.common.tls.TlsClientAuth.OPTIONAL;
                    case REQUIRED -> io.helidon.common.tls.TlsClientAuth.REQUIRED;
                })
                .build();
    }

    public X509Certificate certificate() { return certificate; }

    /** SHA-256 fingerprint of the current server certificate (print it at start-up). */
    public String fingerprint() { return Fingerprints.sha256(certificate); }

    /**
     * Re-reads certificate, key and client CA. New handshakes use them at once; if the new files do not load, the
     * old material stays and this throws.
     */
    public synchronized void reload() {
        List<Object> now = stamps();
        KeyMaterial.Loaded m = KeyMaterial.load(config.source());
        var km = KeyMaterial.keyManager(m);
        var tm = trustManager == null ? null : KeyMaterial.trustManager(KeyMaterial.anchors(config.clientCa()));
        keyManager.swap(km);
        if (tm != null) trustManager.swap(tm);
        certificate = m.chain().getFirst();
        stamps = now;
    }

    /** {@link #reload()} if any file's size or modification time changed; for a periodic check. */
    public synchronized boolean reloadIfChanged() {
        if (stamps().equals(stamps)) return false;
        reload();
        return true;
    }

    private List<Object> stamps() {
        List<Path> files = new ArrayList<>();
        switch (config.source()) {
            case Source.PemFiles f -> { files.add(f.chain()); files.add(f.key()); }
            case Source.Pkcs12File f -> files.add(f.file());
        }
        if (config.clientCa() != null) files.add(config.clientCa());
        List<Object> out = new ArrayList<>();
        for (Path p : files) {
            try {
                out.add(p + "@" + Files.getLastModifiedTime(p).toMillis() + "/" + Files.size(p));
            } catch (IOException e) {
                out.add(p + "@missing");
            }
        }
        return out;
    }

    @Override
    public String toString() { return "ServerTls[" + certificate.getSubjectX500Principal() + ", " + protocols() + ", " + config.clientAuth() + "]"; }
}
