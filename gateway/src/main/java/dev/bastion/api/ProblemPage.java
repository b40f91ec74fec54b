package dev.bastion.api;

import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.Problem;

/**
 * How routes registered through {@link AdminRoutes#pages} answer a refusal: the web console renders a page (a 403
 * page, a redirect to sign-in) for browsers, where the API answers a JSON problem. Return null to answer the JSON
 * problem after all (a client that does not ask for HTML).
 */
@FunctionalInterface
public interface ProblemPage {
    Reply render(Exchange exchange, Problem problem);
}
