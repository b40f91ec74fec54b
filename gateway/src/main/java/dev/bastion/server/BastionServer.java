package dev.bastion.server;

import dev.bastion.api.ErrorPages;
import dev.bastion.config.BastionConfig;
import dev.bastion.identity.ApiKeyService;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http1.Http1Config;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Logger;

/** A running Bastion: the Helidon listener over the wired object graph, with a draining stop. */
public final class BastionServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(BastionServer.class.getName());

    private final Wiring wiring;
    private final WebServer server;
    private boolean stopped;

    private BastionServer(Wiring wiring, WebServer server) {
        this.wiring = wiring;
        this.server = server;
    }

    /**
     * Opens the store, prepares everything and starts listening. On a first start prints the bootstrap admin key
     * to {@code console}, once.
     */
    public static BastionServer start(BastionConfig config, Clock clock, PrintStream console) {
        prepareDataDir(config);
        Wiring wiring = new Wiring(config, clock);
        try {
            Optional<ApiKeyService.Created> admin = wiring.keys.bootstrapAdminIfFirstStart();
            admin.ifPresent(created -> {
                console.println("First start: created the admin API key (shown only this once, store it now):");
                console.println("  " + created.key());
            });
            var s = config.server();
            WebServer server = WebServer.builder()
                    .host(s.host())
                    .port(s.port())
                    // one byte of slack so Bastion's own limit (with its error code) trips first
                    .maxPayloadSize(s.maxBodyBytes() + 1)
                    .maxTcpConnections(s.maxConnections())
                    // the idle check also cuts off clients that stall mid-request (slowloris)
                    .idleConnectionTimeout(min(s.idleTimeout(), s.readTimeout()))
                    .idleConnectionPeriod(min(Duration.ofSeconds(1), s.readTimeout().dividedBy(2)))
                    .connectionOptions(o -> o.readTimeout(s.readTimeout()).tcpNoDelay(true))
                    .shutdownGracePeriod(Duration.ofMillis(500))
                    .protocolsDiscoverServices(false)
                    .addProtocol(Http1Config.builder()
                            .maxHeadersSize(s.maxHeaderBytes())
                            .maxPrologueLength(8 * 1024)
                            .validatePath(true)
                            .addReceiveListener(wiring.slowClients)
                            .build())
                    .directHandlers(ErrorPages.directHandlers())
                    .routing(wiring::routes)
                    .build()
                    .start();
            LOG.info("Bastion listening on http://" + s.host() + ":" + server.port() + " with "
                    + wiring.catalog.routes().size() + " model alias(es)");
            return new BastionServer(wiring, server);
        } catch (RuntimeException e) {
            wiring.close();
            throw e;
        }
    }

    private static void prepareDataDir(BastionConfig config) {
        try {
            if (!Files.exists(config.dataDir())) {
                Files.createDirectories(config.dataDir());
                try {
                    Files.setPosixFilePermissions(config.dataDir(), PosixFilePermissions.fromString("rwx------"));
                } catch (UnsupportedOperationException ignored) {
                    // not a POSIX file system: rely on its defaults
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + config.dataDir(), e);
        }
    }

    private static Duration min(Duration a, Duration b) { return a.compareTo(b) <= 0 ? a : b; }

    public int port() { return server.port(); }

    public URI baseUri() { return URI.create("http://" + wiring.config.server().host() + ":" + port()); }

    /** Stops taking model requests, waits for running answers and streams (up to the grace period), then stops. */
    public synchronized void stop() {
        if (stopped) return;
        stopped = true;
        try {
            boolean drained = wiring.inFlight.drain(wiring.config.server().shutdownGrace());
            if (!drained) LOG.warning("shutdown grace period ended with requests still running");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.stop();
        wiring.close();
    }

    @Override
    public void close() { stop(); }
}
