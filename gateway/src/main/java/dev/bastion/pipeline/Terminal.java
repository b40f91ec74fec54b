package dev.bastion.pipeline;

/** The last step of the request path: calls the backend and streams its answer back through the filter. */
public interface Terminal {

    /**
     * @param filter response filters of the stages that ran, already chained; null when none looks at answers
     * @return how the exchange ended; never throws for backend or client failures
     */
    Completion call(Exchange exchange, ResponseFilter filter, ResponseSink sink);
}
