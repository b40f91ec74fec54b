package dev.bastion.server;

import dev.bastion.api.ErrorPages;
import dev.bastion.config.BastionConfig;
import dev.bastion.tls.ServerTls;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http1.Http1Config;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import dev.bastion.common.PrivateFiles;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Logger;

/** A running Bastion: the Helidon listener over the wired object graph, with a draining stop. */
public final class BastionServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(BastionServer.class.getName());

    private final Wiring wiring;
    private final WebServer server;
    private final ScheduledExecutorService reloader;
    private boolean stopped;

    private BastionServer(Wiring wiring, WebServer server, ScheduledExecutorService reloader) {
        this.wiring = wiring;
        this.server = server;
        this.reloader = reloader;
    }

    /**
     * Opens the store, prepares everything and starts listening. On a first start prints the bootstrap admin key
     * to {@code console}, once.
     */
    public static BastionServer start(BastionConfig config, Clock clock, PrintStream console) {
        return start(config, clock, console, () -> config);
    }

    /**
     * The same, with a way to read the configuration again: {@code POST /bastion/v1/routing/reload} applies its
     * backends and model aliases without a restart.
     */
    public static BastionServer start(BastionConfig config, Clock clock, PrintStream console,
                                      java.util.function.Supplier<BastionConfig> reread) {
        prepareDataDir(config);
        Wiring wiring = new Wiring(config, clock, console, reread);
        ScheduledExecutorService reloader = null;
        try {
            announceBarrier(wiring, console);
            var s = config.server();
            ServerTls tls = ListenerTls.load(s.tls(), config.dataDir(), clock, console);
            if (tls != null) reloader = ListenerTls.reloadEvery(tls, s.tls().reloadInterval());
            var builder = WebServer.builder();
            if (tls != null) builder.tls(tls.helidonTls());
            WebServer server = builder
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
                    // Helidon's own JVM shutdown hook would stop the listener at once on SIGTERM, cutting running
                    // streams; Bastion's hook (ServeCommand) drains first, then stops it
                    .shutdownHook(false)
                    .protocolsDiscoverServices(false)
                    .addProtocol(Http1Config.builder()
                            .maxHeadersSize(s.maxHeaderBytes())
                            .maxPrologueLength(8 * 1024)
                            .validatePath(true)
                            // Bastion never reads Host (no virtual hosts, no URLs built from it); Helidon checks it
                            // with a regular expression on every request
                            .validateRequestHostHeader(false)
                            .addReceiveListener(wiring.slowClients)
                            .build())
                    .directHandlers(ErrorPages.directHandlers())
                    .routing(wiring::routes)
                    .build()
                    .start();
            if (!server.isRunning() || server.port() <= 0) {
                // Helidon logs a failed bind and returns a server that listens nowhere: that is a failed start
                server.stop();
                throw new IllegalStateException("cannot listen on " + s.host() + ":" + s.port()
                        + " (is the port in use or the address not on this machine?)");
            }
            awaitEngines(wiring);
            LOG.info("Bastion listening on " + s.scheme() + "://" + s.host() + ":" + server.port() + " with "
                    + wiring.catalog.routes().size() + " model alias(es)");
            return new BastionServer(wiring, server, reloader);
        } catch (RuntimeException e) {
            if (reloader != null) reloader.shutdownNow();
            wiring.close();
            throw e;
        }
    }

    /** Gives built-in engine workers their start-up time; requests to one that is not ready get 503. */
    private static void awaitEngines(Wiring wiring) {
        if (wiring.engines.supervisors().isEmpty()) return;
        try {
            var notReady = wiring.engines.awaitReady(wiring.config.engine().startTimeout());
            if (notReady.isEmpty()) LOG.info("built-in engine ready: " + wiring.engines.supervisors().size() + " model(s)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Says how the barrier opened; on the first start with an open barrier, issues and prints the admin key. */
    private static void announceBarrier(Wiring wiring, PrintStream console) {
        String provider = wiring.config.barrier().provider();
        if ("insecure-file".equals(provider)) {
            console.println("Barrier: insecure-file key provider — the root key lies in a file beside the data. Allowed "
                    + "only because the server listens on loopback (" + wiring.config.server().host() + "); any other "
                    + "bind needs barrier.provider: passphrase or pkcs11.");
        }
        if (wiring.barrier.isSealed()) {
            boolean init = wiring.barrier.status().state() == dev.bastion.barrier.Barrier.State.UNINITIALIZED;
            console.println("Bastion is sealed (" + provider + " key provider): run 'bastion operator "
                    + (init ? "init" : "unseal") + "' on this host to open it. Until then every API answers 503 sealed.");
            if (init) {
                console.println("operator init needs the one-time token in " + wiring.initToken.file()
                        + " (readable only by the account running Bastion; 'bastion operator init' reads it)");
            }
            return;
        }
        wiring.afterBarrierOpens();
    }

    /** The data directory and what Bastion creates in it are private to its account (0700 / 0600). */
    private static void prepareDataDir(BastionConfig config) {
        try {
            PrivateFiles.warnIfShared(config.dataDir());
            PrivateFiles.directories(config.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + config.dataDir(), e);
        }
    }

    private static Duration min(Duration a, Duration b) { return a.compareTo(b) <= 0 ? a : b; }

    public int port() { return server.port(); }

    /** The object graph (tests in this package reach the ledger and stores). */
    Wiring wiring() { return wiring; }

    /** Every route of Bastion's own API with its method (tests walk them all). */
    List<dev.bastion.api.AdminRoutes.Registered> adminRoutes() { return wiring.adminRoutes.registered(); }

    public URI baseUri() {
        var s = wiring.config.server();
        return URI.create(s.scheme() + "://" + s.host() + ":" + port());
    }

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
        if (reloader != null) reloader.shutdownNow();
        wiring.close();
    }

    @Override
    public void close() { stop(); }
}
