package dev.bastion.backend;

import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.Problem;

/** Why a call to a backend failed, at the transport level. Messages name the backend, never request data. */
final class UpstreamFailure extends Exception {
    enum Kind { UNAVAILABLE, TIMEOUT, PROTOCOL, BUSY, EGRESS_DENIED }

    private final Kind kind;

    UpstreamFailure(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    Kind kind() { return kind; }

    Problem problem() {
        return switch (kind) {
            case UNAVAILABLE -> ErrorCode.BACKEND_UNAVAILABLE.problem(getMessage());
            case TIMEOUT -> ErrorCode.BACKEND_TIMEOUT.problem(getMessage());
            case PROTOCOL -> ErrorCode.BACKEND_ERROR.problem(getMessage());
            case BUSY -> ErrorCode.OVERLOADED.problem(getMessage()).withDetail("retry_after", "1");
            case EGRESS_DENIED -> ErrorCode.EGRESS_DENIED.problem(getMessage());
        };
    }
}
