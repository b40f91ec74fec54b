package dev.bastion.route;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.backend.UpstreamRequest;
import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.ModelRequest;
import dev.bastion.pipeline.Operation;
import dev.bastion.pipeline.Outcome;
import dev.bastion.pipeline.Stage;

/**
 * The last change to a request, and the end of changes: after every stage that edits the body (policy's token cap,
 * masking, pseudonyms) and before the accept record, it makes the exact bytes the backend will get — asking a
 * stream for its usage chunk, putting the upstream model name in, translating for the backend's protocol — freezes
 * the request and leaves the {@link Forward} fact. The accept record describes those bytes; the terminal sends them
 * and nothing else.
 */
public final class PrepareStage implements Stage {

    /** What the terminal sends, and whether it drops the usage chunk the client did not ask for. */
    public record Forward(UpstreamRequest upstream, boolean stripUsage) {}

    @Override
    public String name() { return "prepare"; }

    @Override
    public Outcome onRequest(Exchange exchange) {
        Route route = exchange.require(Route.class);
        ModelRequest request = exchange.require(ModelRequest.class);
        boolean stripUsage = askForUsage(request);
        UpstreamRequest upstream = route.backend().prepare(request, route.upstreamModel());
        request.freeze();
        exchange.put(Forward.class, new Forward(upstream, stripUsage));
        return Outcome.proceed();
    }

    /**
     * Streams only report token counts when asked; ask always (metrics and audit need them) and drop the extra
     * usage chunk for clients that did not ask.
     */
    private static boolean askForUsage(ModelRequest request) {
        if (!request.stream() || request.operation() == Operation.EMBEDDING || request.includeUsage()) return false;
        ObjectNode json = request.json();
        json.putObject("stream_options").put("include_usage", true);
        request.markModified();
        return true;
    }
}
