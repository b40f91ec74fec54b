package dev.bastion.api;

import dev.bastion.pipeline.Completion;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.Problem;
import dev.bastion.pipeline.ProblemException;
import dev.bastion.pipeline.ResponseFilter;
import dev.bastion.pipeline.ResponseSink;
import dev.bastion.pipeline.Terminal;

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
            // the message may quote request data: the class names the failure
            LOG.log(Level.SEVERE, "admin route " + exchange.action() + " failed: " + e.getClass().getName());
            return refuse(sink, ErrorCode.INTERNAL.problem("internal error"));
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

    private static Completion refuse(ResponseSink sink, Problem problem) {
        if (!sink.committed()) sink.sendProblem(problem);
        return Completion.denied(problem, System.nanoTime());
    }
}
