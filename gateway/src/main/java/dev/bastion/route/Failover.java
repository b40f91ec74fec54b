package dev.bastion.route;

import dev.bastion.backend.BackendAnswer;
import dev.bastion.backend.EventStream;
import dev.bastion.backend.UpstreamRequest;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.ModelRequest;
import dev.bastion.pipeline.Operation;
import dev.bastion.pipeline.Problem;
import dev.bastion.pipeline.ProblemException;
import dev.bastion.telemetry.BackendCall;
import dev.bastion.telemetry.Outbound;
import dev.bastion.telemetry.RequestTrace;

import java.io.IOException;
import java.util.List;

/**
 * Calls the planned backends in order until one answers: a backend at its concurrency limit with a full queue, one
 * that cannot be reached, refuses the connection at the egress gate, answers 429 or 5xx, or breaks its stream before
 * the first event is taken to the next one. Nothing has reached the client at that point, so nothing is sent twice;
 * once the first byte is on its way there is no retry. A timeout is not retried (the backend may still be working:
 * a second call would double the work) and neither is a refusal of the request itself (4xx). Every outcome feeds
 * the backend's passive health. The {@link Route} fact names the backend that answered.
 */
final class Failover {
    static final int MAX_ATTEMPTS = 3;
    private final ModelCatalog catalog;

    Failover(ModelCatalog catalog) {
        this.catalog = catalog;
    }

    /**
     * An answer and the slot it holds at its backend; {@link #done} frees the slot and records the outcome.
     * {@code span} is the call's trace span (null when the request is not traced), ended by whoever relays the answer.
     */
    record Answered(BackendAnswer answer, Route route, BackendState state, int fallbacks, BackendCall span) {
        void done(boolean backendFailed) {
            if (state == null) return;
            if (backendFailed) state.failed();
            state.release();
        }
    }

    Answered call(Exchange exchange, PrepareStage.Forward forward) {
        RoutePlan plan = exchange.get(RoutePlan.class);
        ModelRequest request = exchange.require(ModelRequest.class); // for the trace span's operation and stream flag
        List<Route> targets = plan != null ? plan.targets() : List.of(exchange.require(Route.class));
        Problem last = null;
        int attempts = 0;
        for (Route route : targets) {
            if (attempts == MAX_ATTEMPTS) break;
            BackendState state = catalog.state(route.backendName());
            if (attempts > 0 && state != null && state.unavailable() != null) continue; // ejected meanwhile
            attempts++;
            if (state != null && !acquire(state)) {
                last = ErrorCode.OVERLOADED.problem("backend '" + route.backendName() + "' is at its concurrency limit")
                        .withDetail("retry_after", "1");
                continue;
            }
            exchange.put(Route.class, route);
            RequestTrace trace = exchange.get(RequestTrace.class);
            BackendCall span = trace == null ? null
                    : trace.backendCall(route.backendName(), route.alias(), operationName(request.operation()));
            try {
                BackendAnswer answer = firstEventRead(send(route, forward.callFor(route), trace, span), route);
                if (state != null) state.succeeded();
                return new Answered(answer, route, state, attempts - 1, span);
            } catch (ProblemException e) {
                Problem p = e.problem();
                if (span != null) span.end(p.status(), p.code().code(), -1, -1, request.stream());
                boolean retry = retryable(p.code());
                if (state != null) {
                    if (countsAgainstBackend(p.code())) state.failed();
                    state.release();
                }
                if (!retry) throw e;
                last = p;
            }
        }
        if (last == null || (plan != null && !plan.excluded().isEmpty())) {
            // other backends exist but may not have this request: say so rather than name one backend's failure
            String reason = last == null ? "ejected" : "unavailable";
            Problem p = ErrorCode.NO_COMPLIANT_BACKEND.problem("no backend that may serve this request is available ("
                    + reason + ")").withDetail("reason", reason);
            throw new ProblemException(plan == null ? p : p.withDetail("excluded", plan.excludedText()));
        }
        throw new ProblemException(last);
    }

    /** The call, with the request's {@code traceparent} bound for the HTTP client when the request is traced. */
    private static BackendAnswer send(Route route, UpstreamRequest call, RequestTrace trace, BackendCall span) {
        if (trace == null) return route.backend().send(call);
        return ScopedValue.where(Outbound.TRACEPARENT, trace.traceparent(span)).call(() -> route.backend().send(call));
    }

    /** OpenTelemetry's {@code gen_ai.operation.name} for an operation. */
    private static String operationName(Operation operation) {
        return switch (operation) {
            case CHAT -> "chat";
            case COMPLETION -> "text_completion";
            case EMBEDDING -> "embeddings";
        };
    }

    private static boolean acquire(BackendState state) {
        try {
            return state.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(ErrorCode.BACKEND_UNAVAILABLE.problem("interrupted while waiting for a backend"));
        }
    }

    /** Failures that another backend may not share: the next one is tried. */
    static boolean retryable(ErrorCode code) {
        return switch (code) {
            case BACKEND_UNAVAILABLE, BACKEND_ERROR, OVERLOADED, EGRESS_DENIED -> true;
            default -> false;
        };
    }

    /** Failures that say something about the backend's health (not load, not the request, not configuration). */
    static boolean countsAgainstBackend(ErrorCode code) {
        return switch (code) {
            case BACKEND_UNAVAILABLE, BACKEND_ERROR, BACKEND_TIMEOUT -> true;
            default -> false;
        };
    }

    /**
     * For a stream, reads the first event before anything is sent to the client, so a backend that accepts the call
     * and then breaks is still a failure before the first byte.
     */
    private static BackendAnswer firstEventRead(BackendAnswer answer, Route route) {
        if (!(answer instanceof BackendAnswer.Events(EventStream events))) return answer;
        try {
            byte[] first = events.next();
            return new BackendAnswer.Events(new Peeked(events, first));
        } catch (java.net.SocketTimeoutException e) {
            events.abort();
            throw new ProblemException(ErrorCode.BACKEND_TIMEOUT.problem(
                    "backend '" + route.backendName() + "' did not start its stream in time"));
        } catch (IOException e) {
            events.abort();
            throw new ProblemException(ErrorCode.BACKEND_UNAVAILABLE.problem(
                    "backend '" + route.backendName() + "' broke its stream before the first event"));
        }
    }

    /** An event stream whose first event was already read. */
    private static final class Peeked implements EventStream {
        private final EventStream delegate;
        private byte[] first;
        private boolean firstTaken;

        Peeked(EventStream delegate, byte[] first) {
            this.delegate = delegate;
            this.first = first;
        }

        @Override
        public byte[] next() throws IOException {
            if (!firstTaken) {
                firstTaken = true;
                byte[] f = first;
                first = null;
                return f;
            }
            return delegate.next();
        }

        @Override
        public boolean ready() { return !firstTaken || delegate.ready(); }

        @Override
        public void abort() { delegate.abort(); }

        @Override
        public void close() { delegate.close(); }
    }
}
