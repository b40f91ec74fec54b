package dev.bastion.identity;

import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.Outcome;
import dev.bastion.pipeline.Stage;

/**
 * Every route that needs credentials runs this: no {@link Principal} fact, no further processing (the body is not
 * even read). Model and admin routes alike, so every route authenticates the same way.
 */
public record AuthenticateStage(Authenticator authenticator) implements Stage {

    @Override
    public String name() { return "authenticate"; }

    @Override
    public Outcome onRequest(Exchange exchange) {
        exchange.put(Principal.class, authenticator.authenticate(exchange));
        return Outcome.proceed();
    }
}
