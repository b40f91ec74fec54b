package dev.bastion.identity;

import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.Outcome;
import dev.bastion.pipeline.Stage;

/** First stage: no principal, no further processing (the body is not even parsed). */
public record AuthenticateStage(Authenticator authenticator) implements Stage {

    @Override
    public String name() { return "authenticate"; }

    @Override
    public Outcome onRequest(Exchange exchange) {
        exchange.put(Authenticator.PRINCIPAL, authenticator.authenticate(exchange.headers()::all, exchange.peerCertificates()));
        return Outcome.proceed();
    }
}
