package dev.bastion.api;

import dev.bastion.pipeline.Completion;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.Problem;
import dev.bastion.pipeline.ProblemException;
import dev.bastion.pipeline.ResponseFilter;
import dev.bastion.pipeline.ResponseSink;
import dev.bastion.pipeline.Terminal;
import dev.bastion.store.StoreException;

import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The last step of an admin chain: runs the route's handler and sends its {@link Reply}. Never throws. */
record AdminTerminal(AdminHandler handler, JsonBodies json) implements Terminal {
    private static final Logger LOG = Logger.getLogger(AdminTerminal.class.getName());

    @Override
    public Completion call(Exchange exchange, ResponseFilter filter, ResponseSink sink) {
        Reply reply;
        try {
            reply = handler.handle(new AdminCall(exchange, json));
        } catch (ProblemException e) {
            return refuse(sink, e.problem());
        } catch (RuntimeException e) {
            return refuse(sink, failure(exchange.action(), e));
        }
        try {
            if (sink instanceof HelidonResponseSink http) {
                for (Map.Entry<String, String> h : reply.headers().entrySet()) http.header(h.getKey(), h.getValue());
            }
            sink.send(reply.status(), reply.contentType(), reply.body());
        } catch (RuntimeException e) {
            return new Completion(reply.status(), null, Completion.Result.CLIENT_GONE, -1, -1, System.nanoTime());
        }
        Completion.Result result = reply.status() < 400 ? Completion.Result.OK
                : reply.status() < 500 ? Completion.Result.DENIED : Completion.Result.FAILED;
        return new Completion(reply.status(), reply.errorCode(), result, -1, -1, System.nanoTime());
    }

    /** A handler's unexpected failure as answered: 503 {@code store_busy} when the store was only busy, else 500. */
    static Problem failure(String action, RuntimeException e) {
        if (e instanceof StoreException store && store.busy()) {
            LOG.warning("admin route " + action + ": " + e.getMessage() + " (busy; answered 503)");
            return ErrorCode.STORE_BUSY.problem("the database is busy: retry later");
        }
        // a store's message names its operation only; any other message may quote request data: the class says it
        LOG.log(Level.SEVERE, "admin route " + action + " failed: "
                + (e instanceof StoreException ? e.getMessage() : e.getClass().getName()));
        return ErrorCode.INTERNAL.problem("internal error");
    }

    private static Completion refuse(ResponseSink sink, Problem problem) {
        if (!sink.committed()) sink.sendProblem(problem);
        return Completion.denied(problem, System.nanoTime());
    }
}
