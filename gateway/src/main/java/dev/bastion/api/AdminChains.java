package dev.bastion.api;

import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.Pipeline;
import dev.bastion.pipeline.Terminal;

import java.util.function.Function;

/**
 * The request chains of Bastion's own API, composed by the server next to the model chain, so that every route
 * passes the same seal gate, refusal audit, authentication, context and policy stages.
 */
public interface AdminChains {

    /**
     * seal gate → refusal audit → authenticate → context → authorize → [admin audit] → {@code handler}.
     *
     * @param auditEvent the admin record's action name, or null for a route that changes nothing
     * @param target     what the audited action works on, read from the exchange before acting; null if unknown
     */
    Pipeline secured(String auditEvent, Function<Exchange, String> target, Terminal handler);

    /** refusal audit → {@code handler}: the barrier's status, init and unseal, which must answer while sealed. */
    Pipeline withoutCredentials(Terminal handler);

    /**
     * refusal audit → {@link HostOrAuthorized} (loopback, or authenticate → authorize) → {@code handler}: the
     * operational routes ({@code /metrics}), which answer while sealed.
     */
    Pipeline operational(Terminal handler);
}
