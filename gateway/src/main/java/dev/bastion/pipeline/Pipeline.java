package dev.bastion.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The request path, in the spirit of an Envoy filter chain: stages in order, each may continue, answer now or deny;
 * then the terminal backend call; then the response side of every stage that ran, in reverse order. A stage that
 * fails unexpectedly denies the request (fail closed); its exception is logged by stage name and class only,
 * because exception messages can quote request data.
 */
public final class Pipeline {
    private static final Logger LOG = Logger.getLogger(Pipeline.class.getName());

    private final Stage[] stages;
    private final Terminal terminal;
    /** Null when nothing watches (tracing off): then no timestamps are taken for it. */
    private final StageObserver observer;

    public Pipeline(List<Stage> stages, Terminal terminal) {
        this(stages, terminal, null);
    }

    /** @param observer sees each stage's timing and outcome (tracing), or null */
    public Pipeline(List<Stage> stages, Terminal terminal, StageObserver observer) {
        this.stages = stages.toArray(Stage[]::new);
        this.terminal = terminal;
        this.observer = observer;
    }

    public List<String> stageNames() {
        var names = new ArrayList<String>(stages.length);
        for (Stage s : stages) names.add(s.name());
        return names;
    }

    public void run(Exchange exchange, ResponseSink sink) {
        // null unless tracing is on and samples this exchange: then no timestamps are taken for it
        StageObserver.Observation watch = observer == null ? null : observer.begin(exchange);
        int ran = 0;
        Completion completion = null;
        try {
            while (ran < stages.length) {
                Stage stage = stages[ran++];
                long start = watch == null ? 0 : System.nanoTime();
                Outcome outcome = requestSide(stage, exchange);
                if (watch != null) watch.stage(stage, start, System.nanoTime(), outcome);
                switch (outcome) {
                    case Outcome.Continue c -> { }
                    case Outcome.Reply reply -> {
                        sink.send(reply.status(), reply.contentType(), reply.body());
                        completion = new Completion(reply.status(), null, Completion.Result.OK, -1, -1,
                                System.nanoTime());
                        return;
                    }
                    case Outcome.Deny deny -> {
                        sink.sendProblem(deny.problem());
                        completion = Completion.denied(deny.problem(), System.nanoTime());
                        return;
                    }
                }
            }
            long start = watch == null ? 0 : System.nanoTime();
            completion = callTerminal(exchange, sink, ran);
            if (watch != null) watch.terminal(start, System.nanoTime());
        } finally {
            if (completion == null) {
                // only reachable when the sink threw: the client may have seen a partial answer
                completion = new Completion(500, ErrorCode.INTERNAL.code(), Completion.Result.FAILED, -1, -1,
                        System.nanoTime());
            }
            long start = watch == null ? 0 : System.nanoTime();
            finish(exchange, completion, ran);
            if (watch != null) watch.end(exchange, start, System.nanoTime());
        }
    }

    private void finish(Exchange exchange, Completion completion, int ran) {
        exchange.complete(completion);
        for (int i = ran - 1; i >= 0; i--) {
            try {
                stages[i].onComplete(exchange);
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "stage " + stages[i].name() + " failed on completion: "
                        + e.getClass().getName());
            }
        }
    }

    /** A terminal that breaks its promise never to throw still ends the exchange with a refusal, not silence. */
    private Completion callTerminal(Exchange exchange, ResponseSink sink, int ran) {
        try {
            Completion c = terminal.call(exchange, chainFilters(exchange, ran), sink);
            if (c != null) return c;
            LOG.log(Level.SEVERE, "terminal gave no completion");
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "terminal failed: " + e.getClass().getName() + " at " + firstFrame(e));
        }
        Problem p = ErrorCode.INTERNAL.problem("request failed");
        if (!sink.committed()) sink.sendProblem(p);
        return new Completion(500, p.code().code(), Completion.Result.FAILED, -1, -1, System.nanoTime());
    }

    private static Outcome requestSide(Stage stage, Exchange exchange) {
        try {
            Outcome outcome = stage.onRequest(exchange);
            if (outcome == null) {
                return Outcome.deny(ErrorCode.INTERNAL, "stage " + stage.name() + " gave no decision");
            }
            return outcome;
        } catch (ProblemException e) {
            return new Outcome.Deny(e.problem());
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "stage " + stage.name() + " failed: " + e.getClass().getName()
                    + " at " + firstFrame(e));
            return Outcome.deny(ErrorCode.INTERNAL, "request refused: stage " + stage.name() + " failed");
        }
    }

    private ResponseFilter chainFilters(Exchange exchange, int ran) {
        List<ResponseFilter> filters = new ArrayList<>(2);
        for (int i = ran - 1; i >= 0; i--) {
            ResponseFilter f = stages[i].responseFilter(exchange);
            if (f != null) filters.add(f);
        }
        return switch (filters.size()) {
            case 0 -> null;
            case 1 -> filters.getFirst();
            default -> new ChainedFilter(filters.toArray(ResponseFilter[]::new));
        };
    }

    private static String firstFrame(Throwable e) {
        StackTraceElement[] trace = e.getStackTrace();
        return trace.length == 0 ? "?" : trace[0].toString();
    }

    /** Feeds each filter's released text to the next one. */
    private record ChainedFilter(ResponseFilter[] filters) implements ResponseFilter {
        @Override
        public String onText(int choice, String text) {
            String t = text;
            for (ResponseFilter f : filters) t = f.onText(choice, t);
            return t;
        }

        @Override
        public String flush(int choice) {
            // what an earlier filter flushes must still pass through the later ones before they flush themselves
            String carried = "";
            for (ResponseFilter f : filters) {
                String passed = carried.isEmpty() ? "" : f.onText(choice, carried);
                carried = passed + f.flush(choice);
            }
            return carried;
        }
    }
}
