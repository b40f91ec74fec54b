package dev.bastion.cli;

import dev.bastion.config.BastionConfig;
import dev.bastion.config.EngineSettings;
import dev.bastion.server.BastionServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code bastion serve}: runs the gateway until SIGTERM/SIGINT, then drains in-flight requests and stops. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the Bastion server.")
final class ServeCommand implements Callable<Integer> {
    @Mixin
    ConfigSource config;

    @Option(names = "--model", paramLabel = "FILE.gguf",
            description = "serve this GGUF model with the built-in engine (imported first; repeatable)")
    List<Path> modelFiles = List.of();

    @Option(names = "--accept-audit-rollback", description = "start even though the stored audit log does not extend "
            + "the last checkpoint this server signed (after a deliberate database restore); recorded in the log")
    boolean acceptAuditRollback;

    @Override
    public Integer call() throws InterruptedException {
        BastionConfig cfg = config.load();
        for (Path file : modelFiles) {
            cfg = cfg.withEngineModel(new EngineSettings.Model(file, null, null));
        }
        if (acceptAuditRollback) cfg = cfg.withAuditRollbackAccepted();
        BastionServer server = BastionServer.start(cfg, Clock.systemUTC(), System.out, config::load);
        System.out.println("Bastion is serving on " + server.baseUri() + " (data in " + cfg.dataDir().toAbsolutePath() + ")");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            stopped.countDown();
        }, "bastion-shutdown"));
        stopped.await();
        return 0;
    }
}
