package dev.bastion.inspect;

import dev.bastion.identity.Principal;
import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.ModelRequest;
import dev.bastion.pipeline.RequestContext;
import dev.bastion.pipeline.ProblemException;
import dev.bastion.pipeline.Outcome;
import dev.bastion.pipeline.ResponseFilter;
import dev.bastion.pipeline.Stage;

import java.util.function.Function;

/**
 * After policy: applies its obligations to the request — mask, pseudonymise (through the encrypted vault, consistent
 * within a conversation), generalise, or block — and, on the way back, filters the answer through a sliding window
 * that masks what must not leave and restores pseudonyms only where re-identification is allowed.
 */
public final class TransformStage implements Stage {
    private final RequestGuard guard;
    private final Inspector answerInspector;
    private final PseudonymVault vault;
    private final Function<Exchange, InspectionObligations> obligations;
    private final int window;
    private final Spotlighter spotlighter;

    /**
     * @param obligations what policy decided for this exchange (the policy stage ran before)
     * @param window      characters of a streamed answer held back (see {@link InspectResponseFilter})
     */
    public TransformStage(RequestGuard guard, Inspector inspector, PseudonymVault vault,
                          Function<Exchange, InspectionObligations> obligations, int window) {
        this(guard, inspector, vault, obligations, window, null);
    }

    /** @param spotlighter marks untrusted text of forwarded chat requests (null: not marked) */
    public TransformStage(RequestGuard guard, Inspector inspector, PseudonymVault vault,
                          Function<Exchange, InspectionObligations> obligations, int window, Spotlighter spotlighter) {
        this.spotlighter = spotlighter;
        this.window = window;
        this.guard = guard;
        this.answerInspector = inspector.forAnswers();
        this.vault = vault;
        this.obligations = obligations;
    }

    @Override
    public String name() { return "transform"; }

    @Override
    public Outcome onRequest(Exchange exchange) {
        RequestScan.Scanned scan = exchange.get(RequestScan.Scanned.class);
        if (scan == null) return Outcome.proceed(); // operations without text to inspect
        InspectionObligations ob = obligations.apply(exchange);
        // pseudonyms belong to one caller's conversation: another caller naming the same conversation id must never
        // see (or get restored) someone else's originals
        RequestContext context = exchange.get(RequestContext.class);
        String conversation = context == null ? null : context.conversation();
        Principal who = exchange.get(Principal.class);
        String scope = (who == null ? "anonymous" : who.id()) + "|" + (conversation != null ? conversation : exchange.requestId());
        PseudonymSession session = vault.session(scope, exchange.get(VaultOwner.class));
        return switch (guard.apply(scan, ob, session)) {
            case RequestGuard.Result.Block block -> new Outcome.Deny(InspectProblems.blocked(block.types()));
            case RequestGuard.Result.Pass pass -> {
                ModelRequest request = exchange.require(ModelRequest.class);
                boolean marked = spotlighter != null && spotlighter.apply(request.json(), scan.texts());
                if (pass.modified() || marked) request.markModified();
                exchange.put(Transformed.class, new Transformed(ob, session, pass.injectionFlagged()));
                yield Outcome.proceed();
            }
        };
    }

    @Override
    public ResponseFilter responseFilter(Exchange exchange) {
        Transformed t = exchange.get(Transformed.class);
        if (t == null) return null;
        InspectionObligations ob = t.obligations();
        // nothing to mask and nothing to restore: the filter would pass every character unchanged, and its window
        // would only hold a stream's first text back (by about 200 characters)
        PseudonymSession session = t.session();
        if (ob.outputMask().isEmpty() && !(ob.reidentify() && session != null)) return null;
        return new FailClosed(new InspectResponseFilter(new OutputRedactor(answerInspector, ob, session, t.answer()),
                window));
    }

    /** A failing detector on the way out stops the answer with 503 inspection_failed instead of letting text pass. */
    private record FailClosed(ResponseFilter filter) implements ResponseFilter {
        @Override
        public String onText(int choice, String text) {
            try {
                return filter.onText(choice, text);
            } catch (InspectionFailedException e) {
                throw new ProblemException(InspectProblems.failed(e.detector(), e.reason()));
            }
        }

        @Override
        public String flush(int choice) {
            try {
                return filter.flush(choice);
            } catch (InspectionFailedException e) {
                throw new ProblemException(InspectProblems.failed(e.detector(), e.reason()));
            }
        }
    }
}
