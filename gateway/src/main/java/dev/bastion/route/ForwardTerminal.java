package dev.bastion.route;

import dev.bastion.backend.BackendAnswer;
import dev.bastion.pipeline.AnswerMetadata;
import dev.bastion.backend.EventStream;
import dev.bastion.pipeline.Completion;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.Problem;
import dev.bastion.pipeline.ProblemException;
import dev.bastion.pipeline.ProblemJson;
import dev.bastion.pipeline.ResponseFilter;
import dev.bastion.pipeline.ResponseSink;
import dev.bastion.pipeline.Terminal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Sends the call the {@link PrepareStage} made for the routed backend (byte for byte what the accept record
 * describes) — or, when it fails before the first byte reached the client, the call prepared for the next one the
 * {@link RoutePlan} allows ({@link Failover}) — and relays its answer. Streams are relayed event by event with backpressure (a blocking
 * write waits for the client), flushing whenever no further event is already buffered; a client that goes away
 * aborts the backend call. Without response filters, event payloads are forwarded as received.
 */
public final class ForwardTerminal implements Terminal {
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
    private final Failover failover;

    /** @param catalog the routing state (concurrency slots, passive health) of the backends it calls */
    public ForwardTerminal(ModelCatalog catalog) {
        this.failover = new Failover(catalog);
    }

    @Override
    public Completion call(Exchange exchange, ResponseFilter filter, ResponseSink sink) {
        exchange.require(Route.class);
        PrepareStage.Forward forward = exchange.require(PrepareStage.Forward.class);
        boolean stripUsage = forward.stripUsage();
        Failover.Answered answered;
        try {
            answered = failover.call(exchange, forward);
        } catch (ProblemException e) {
            sink.sendProblem(e.problem());
            return new Completion(e.problem().status(), e.problem().code().code(), Completion.Result.BACKEND_ERROR,
                    -1, -1, System.nanoTime());
        }
        exchange.put(Served.class, new Served(answered.route().backendName(), answered.fallbacks()));
        Completion c = null;
        try {
            c = switch (answered.answer()) {
                case BackendAnswer.Complete complete -> relayComplete(complete.json(), filter, sink,
                        exchange.get(AnswerMetadata.class));
                case BackendAnswer.Events events -> relayStream(events.events(), filter, sink, stripUsage,
                        exchange.get(AnswerMetadata.class));
            };
            return c;
        } finally {
            answered.done(c == null || backendFailed(c));
            if (answered.span() != null) {
                boolean streamed = answered.answer() instanceof BackendAnswer.Events;
                if (c == null) answered.span().end(500, ErrorCode.INTERNAL.code(), -1, -1, streamed);
                else answered.span().end(c.status(), c.errorCode(), c.promptTokens(), c.completionTokens(), streamed);
            }
        }
    }

    /** The backend (not a filter, not the client) ended the answer early. */
    private static boolean backendFailed(Completion c) {
        return c.errorCode() != null && c.errorCode().startsWith("backend_");
    }

    private static Completion relayComplete(byte[] body, ResponseFilter filter, ResponseSink sink,
                                            AnswerMetadata metadata) {
        Usage usage = Usage.of(body);
        if (filter != null) {
            try {
                body = new AnswerRewriter(filter).rewriteComplete(body);
            } catch (IOException e) {
                Problem p = ErrorCode.BACKEND_ERROR.problem("backend answer is not valid JSON");
                sink.sendProblem(p);
                return new Completion(p.status(), p.code().code(), Completion.Result.BACKEND_ERROR, -1, -1,
                        System.nanoTime());
            } catch (ProblemException e) {
                // a response filter refused to let the answer out (fail closed): nothing of it is sent
                sink.sendProblem(e.problem());
                return new Completion(e.problem().status(), e.problem().code().code(), Completion.Result.FAILED,
                        usage.promptTokens(), usage.completionTokens(), System.nanoTime());
            }
        }
        if (metadata != null) body = withMetadata(body, metadata);
        try {
            sink.sendJson(200, body);
        } catch (RuntimeException e) { // the web server reports a broken client connection this way
            return new Completion(200, null, Completion.Result.CLIENT_GONE, usage.promptTokens(),
                    usage.completionTokens(), System.nanoTime());
        }
        return new Completion(200, null, Completion.Result.OK, usage.promptTokens(), usage.completionTokens(),
                System.nanoTime());
    }

    private static Completion relayStream(EventStream events, ResponseFilter filter, ResponseSink sink,
                                          boolean stripUsage, AnswerMetadata metadata) {
        AnswerRewriter rewriter = filter == null ? null : new AnswerRewriter(filter);
        Usage usage = Usage.UNKNOWN;
        ClientStream out = null;
        try {
            out = new ClientStream(sink.openEventStream());
            byte[] data;
            while ((data = nextEvent(events)) != null) {
                if (Usage.mentionsUsage(data)) {
                    Usage u = Usage.of(data);
                    if (u.promptTokens() >= 0 || u.completionTokens() >= 0) usage = u;
                    if (stripUsage && isUsageOnly(data)) continue;
                }
                if (rewriter != null) data = rewrite(rewriter, data);
                if (metadata != null) {
                    data = withMetadata(data, metadata); // on the first event only
                    metadata = null;
                }
                write(out, data);
                if (!events.ready()) out.flush();
            }
            if (rewriter != null) {
                byte[] last = finalChunk(rewriter);
                if (last != null) write(out, last);
            }
            out.write(DONE, 0, DONE.length);
            out.flush();
            out.close();
            events.close(); // read to its end: the connection goes back to the pool
            return new Completion(200, null, Completion.Result.OK, usage.promptTokens(), usage.completionTokens(),
                    System.nanoTime());
        } catch (BackendBroke e) {
            events.abort();
            Problem p = e.problem;
            if (out == null || !sendStreamError(out, p)) {
                return completion(p, Completion.Result.CLIENT_GONE, usage);
            }
            return completion(p, Completion.Result.BACKEND_ERROR, usage);
        } catch (ClientGone e) {
            // the client went away (or its connection broke): stop the backend's work
            events.abort();
            return new Completion(200, null, Completion.Result.CLIENT_GONE, usage.promptTokens(),
                    usage.completionTokens(), System.nanoTime());
        } catch (RuntimeException e) {
            events.abort();
            throw e;
        }
    }

    /** The answer (or first stream event) with the exchange's {@code bastion} metadata; unchanged if not JSON. */
    private static byte[] withMetadata(byte[] json, AnswerMetadata metadata) {
        try {
            var node = JSON.readTree(json);
            if (!node.isObject()) return json;
            metadata.addTo(node);
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            return json;
        }
    }

    private static byte[] rewrite(AnswerRewriter rewriter, byte[] data) {
        try {
            return rewriter.rewriteChunk(data);
        } catch (IOException e) {
            throw new BackendBroke(ErrorCode.BACKEND_ERROR.problem("backend sent a malformed stream event"));
        } catch (ProblemException e) {
            throw new BackendBroke(e.problem()); // a filter refused: the stream ends with its error event
        }
    }

    private static byte[] finalChunk(AnswerRewriter rewriter) {
        try {
            return rewriter.finalChunk();
        } catch (IOException e) {
            throw new BackendBroke(ErrorCode.BACKEND_ERROR.problem("backend sent a malformed stream event"));
        } catch (ProblemException e) {
            throw new BackendBroke(e.problem());
        }
    }

    private static byte[] nextEvent(EventStream events) {
        try {
            return events.next();
        } catch (java.net.SocketTimeoutException e) {
            throw new BackendBroke(ErrorCode.BACKEND_TIMEOUT.problem("backend stopped sending its stream"));
        } catch (java.io.EOFException | java.net.SocketException e) {
            throw new BackendBroke(ErrorCode.BACKEND_UNAVAILABLE.problem("backend went away mid-stream"));
        } catch (IOException e) {
            throw new BackendBroke(ErrorCode.BACKEND_ERROR.problem("backend stream broke off"));
        }
    }

    private static boolean isUsageOnly(byte[] data) {
        try {
            var node = JSON.readTree(data);
            return node.path("choices").isArray() && node.path("choices").isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private static void write(ClientStream out, byte[] data) {
        out.write(DATA, 0, DATA.length);
        out.write(data, 0, data.length);
        out.write(END, 0, END.length);
    }

    /** Headers are gone: the error travels as a last event, in the OpenAI error shape. */
    private static boolean sendStreamError(ClientStream out, Problem p) {
        try {
            write(out, ProblemJson.render(p));
            out.flush();
            out.close();
            return true;
        } catch (ClientGone e) {
            return false;
        }
    }

    private static Completion completion(Problem p, Completion.Result result, Usage usage) {
        return new Completion(200, p.code().code(), result, usage.promptTokens(), usage.completionTokens(),
                System.nanoTime());
    }

    /** The client's connection failed while we wrote to it. */
    private static final class ClientGone extends RuntimeException {
        ClientGone(Throwable cause) {
            super("client connection failed", cause, false, false);
        }
    }

    /**
     * The event stream to the client; any failure writing to it (the web server reports them as IOExceptions or
     * as its own runtime exceptions) means the client is gone.
     */
    private static final class ClientStream extends OutputStream {
        private final OutputStream out;

        ClientStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) {
            try {
                out.write(b);
            } catch (IOException | RuntimeException e) {
                throw new ClientGone(e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            try {
                out.write(b, off, len);
            } catch (IOException | RuntimeException e) {
                throw new ClientGone(e);
            }
        }

        @Override
        public void flush() {
            try {
                out.flush();
            } catch (IOException | RuntimeException e) {
                throw new ClientGone(e);
            }
        }

        @Override
        public void close() {
            try {
                out.close();
            } catch (IOException | RuntimeException e) {
                throw new ClientGone(e);
            }
        }
    }

    /** The backend failed after the answer started. */
    private static final class BackendBroke extends RuntimeException {
        final transient Problem problem;

        BackendBroke(Problem problem) {
            super(problem.message(), null, false, false);
            this.problem = problem;
        }
    }
}
