package dev.bastion.barrier;

import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.Outcome;
import dev.bastion.pipeline.Stage;

/** While the barrier is sealed nothing can be read or written safely: every model request gets 503 {@code sealed}. */
public record SealGate(Barrier barrier) implements Stage {

    @Override
    public String name() { return "seal-gate"; }

    @Override
    public Outcome onRequest(Exchange exchange) {
        if (barrier.isSealed()) {
            return Outcome.deny(ErrorCode.SEALED.problem("Bastion is sealed: an operator must unseal it")
                    .withDetail("retry_after", "5"));
        }
        return Outcome.proceed();
    }
}
