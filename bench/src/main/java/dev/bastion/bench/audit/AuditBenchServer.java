package dev.bastion.bench.audit;

import dev.bastion.audit.AuditStage;
import dev.bastion.config.BastionConfig;
import dev.bastion.config.ConfigLoader;
import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.Outcome;
import dev.bastion.pipeline.Pipeline;
import dev.bastion.pipeline.ResponseFilter;
import dev.bastion.pipeline.Stage;
import dev.bastion.server.BastionServer;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;

/**
 * Bastion for the audit load benchmark: the normal server ({@code serve}), or — with {@code --no-accept} — the same
 * server in which the benchmark replaces the audit stage's <em>accept</em> append by a stand-in that assigns a dummy
 * leaf index, so that the two runs differ only in the durable accept append before the backend call. The complete
 * records are still appended (asynchronously, as always), and the audit writer, the integrator and every other
 * stage run unchanged. The replacement happens here, by reflection on the running pipeline, so the production code
 * has no switch that turns the accept record off.
 *
 * <p>Run: {@code java -cp bench/target/bastion-bench.jar dev.bastion.bench.audit.AuditBenchServer FILE.yaml [--no-accept]}
 */
public final class AuditBenchServer {
    private AuditBenchServer() {}

    public static void main(String[] args) throws Exception {
        BastionConfig config = ConfigLoader.load(Path.of(args[0]), System.getenv());
        boolean noAccept = args.length > 1 && args[1].equals("--no-accept");
        BastionServer server = BastionServer.start(config, Clock.systemUTC(), System.out);
        if (noAccept) withoutAcceptAppend(server);
        System.out.println("Bastion is serving on " + server.baseUri() + " (audit accept append "
                + (noAccept ? "REPLACED for the benchmark" : "on") + ")");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            stopped.countDown();
        }));
        stopped.await();
    }

    private static void withoutAcceptAppend(BastionServer server) throws ReflectiveOperationException {
        Object wiring = field(BastionServer.class, "wiring").get(server);
        Pipeline pipeline = (Pipeline) field(wiring.getClass(), "pipeline").get(wiring);
        Stage[] stages = (Stage[]) field(Pipeline.class, "stages").get(pipeline);
        int replaced = 0;
        for (int i = 0; i < stages.length; i++) {
            if (stages[i] instanceof AuditStage audit) {
                stages[i] = new NoAcceptStage(audit);
                replaced++;
            }
        }
        if (replaced != 1) throw new IllegalStateException("expected one AuditStage in the pipeline, found " + replaced);
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field f = type.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }

    /** The audit stage without its accept append: a dummy index, then the real stage's complete record. */
    private record NoAcceptStage(AuditStage audit) implements Stage {
        @Override
        public String name() { return audit.name(); }

        @Override
        public Outcome onRequest(Exchange exchange) {
            exchange.put(dev.bastion.audit.AuditIndex.class, new dev.bastion.audit.AuditIndex(0));
            return Outcome.proceed();
        }

        @Override
        public ResponseFilter responseFilter(Exchange exchange) { return audit.responseFilter(exchange); }

        @Override
        public void onComplete(Exchange exchange) { audit.onComplete(exchange); }
    }
}
