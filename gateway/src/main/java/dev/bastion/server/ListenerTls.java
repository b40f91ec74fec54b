package dev.bastion.server;

import dev.bastion.barrier.Passphrase;
import dev.bastion.config.TlsSettings;
import dev.bastion.tls.GeneratedTls;
import dev.bastion.tls.ServerTls;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/** Builds the listener's TLS from configuration and keeps certificates fresh without a restart. */
final class ListenerTls {
    private static final Logger LOG = Logger.getLogger(ListenerTls.class.getName());

    private ListenerTls() {}

    /** The listener's TLS, or null for plain HTTP (loopback only, enforced by the config loader). */
    static ServerTls load(TlsSettings t, Path dataDir, Clock clock, PrintStream console) {
        ServerTls.Source source = switch (t.mode()) {
            case NONE -> null;
            case FILES -> new ServerTls.Source.PemFiles(t.certChain(), t.privateKey(), passphrase(t.keyPassword()));
            case PKCS12 -> new ServerTls.Source.Pkcs12File(t.pkcs12(), passphrase(t.pkcs12Password()));
            case GENERATED -> {
                var names = t.hostNames().isEmpty() ? GeneratedTls.defaultHostNames() : t.hostNames();
                GeneratedTls.Material m = GeneratedTls.ensure(dataDir.resolve("tls"), names, clock);
                console.println("TLS: generated local CA " + m.caCert() + " (SHA-256 " + m.caFingerprint() + ")");
                console.println("TLS: server certificate SHA-256 " + m.serverFingerprint() + " for " + names);
                yield new ServerTls.Source.PemFiles(m.serverChain(), m.serverKey(), null);
            }
        };
        if (source == null) return null;
        ServerTls.ClientAuth auth = switch (t.clientAuth()) {
            case NONE -> ServerTls.ClientAuth.NONE;
            case OPTIONAL -> ServerTls.ClientAuth.OPTIONAL;
            case REQUIRED -> ServerTls.ClientAuth.REQUIRED;
        };
        ServerTls tls = ServerTls.load(new ServerTls.Config(source, t.allowTls12(), auth, t.clientCa()));
        LOG.info("TLS listener certificate SHA-256 " + tls.fingerprint() + ", protocols " + tls.protocols());
        return tls;
    }

    /** Re-reads certificate files when they change; a broken new file keeps the old certificate in service. */
    static ScheduledExecutorService reloadEvery(ServerTls tls, Duration interval) {
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bastion-tls-reload");
            t.setDaemon(true);
            return t;
        });
        long ms = Math.max(1000, interval.toMillis());
        s.scheduleWithFixedDelay(() -> {
            try {
                if (tls.reloadIfChanged()) LOG.info("TLS certificate reloaded, SHA-256 " + tls.fingerprint());
            } catch (RuntimeException e) {
                LOG.warning("TLS certificate reload failed, keeping the current one: " + e.getClass().getSimpleName());
            }
        }, ms, ms, TimeUnit.MILLISECONDS);
        return s;
    }

    private static Passphrase passphrase(dev.bastion.common.Secret secret) {
        return secret.present() ? Passphrase.of(secret.value()) : null;
    }
}
