package dev.bastion.privacy;

import dev.bastion.inspect.VaultOwner;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.Outcome;
import dev.bastion.pipeline.RequestContext;
import dev.bastion.pipeline.Stage;
import dev.bastion.policy.ConsentFacts;

import java.util.ArrayList;
import java.util.List;

/**
 * Before policy: turns the subject ids a request names ({@code X-Bastion-Subject}) into their keyed tokens, asks the
 * consent registry what basis is in force for the declared purpose (policy reads it as {@code request.consent}),
 * and from here on the exchange carries only tokens — the audit record, policy and every later stage never see an
 * id. New pseudonym-vault entries of the request are encrypted under the subjects' keys. A replica that cannot be
 * sure its consent view is current refuses (503 {@code consent_unavailable}).
 */
public final class ConsentStage implements Stage {
    private final ConsentRegistry registry;

    public ConsentStage(ConsentRegistry registry) {
        this.registry = registry;
    }

    @Override
    public String name() { return "consent"; }

    @Override
    public Outcome onRequest(Exchange exchange) {
        RequestContext ctx = exchange.get(RequestContext.class);
        List<String> ids = ctx == null ? List.of() : ctx.subjects();
        if (ids.isEmpty()) return Outcome.proceed();
        if (!registry.fresh()) {
            return Outcome.deny(ErrorCode.CONSENT_UNAVAILABLE.problem(
                    "consent records cannot be confirmed current on this server right now; try again"));
        }
        List<String> tokens = new ArrayList<>(ids.size());
        for (String id : ids) tokens.add(registry.tokens().token(id));
        ConsentFacts facts = registry.check(tokens, ctx.purpose(), exchange.receivedAt());
        exchange.put(ConsentFacts.class, facts);
        exchange.put(VaultOwner.class, new VaultOwner(registry.records().forSubjects(ids), tokens, ctx.purpose(), ctx.classification()));
        exchange.put(RequestContext.class, new RequestContext(ctx.purpose(), tokens, ctx.classification(),
                ctx.conversation()));
        return Outcome.proceed();
    }
}
