package dev.bastion.policy;

import dev.bastion.pipeline.ErrorCode;

/** Why a decision came out as it did. The wire codes are stable: they appear in audit records and error bodies. */
public enum Reason {
    /** At least one permit rule matched and no forbid rule did. */
    ALLOWED("allowed", null),
    /** No permit rule matched (default deny). */
    NO_PERMIT("permission_denied", ErrorCode.PERMISSION_DENIED),
    /** A forbid rule matched. */
    FORBIDDEN("forbidden", ErrorCode.PERMISSION_DENIED),
    /** A permit rule would match but needs a declared purpose and none was declared. */
    PURPOSE_REQUIRED("purpose_required", ErrorCode.PURPOSE_REQUIRED),
    /** A permit rule would match but the declared purpose is not on its allow-list. */
    PURPOSE_NOT_ALLOWED("purpose_not_allowed", ErrorCode.PURPOSE_NOT_ALLOWED),
    /** The credential itself is scoped to other models. */
    MODEL_NOT_IN_SCOPE("model_not_allowed", ErrorCode.MODEL_NOT_ALLOWED),
    /** The model alias is not served (decided after the scope, so a scoped credential cannot probe for aliases). */
    MODEL_NOT_FOUND("model_not_found", ErrorCode.MODEL_NOT_FOUND),
    /** A forbid or obligate rule's condition could not be evaluated: fail closed. */
    EVALUATION_ERROR("evaluation_error", ErrorCode.PERMISSION_DENIED),
    /**
     * A forbid rule marked {@code code: consent_missing} matched: a named data subject has no lawful basis for the
     * declared purpose.
     */
    CONSENT_MISSING("consent_missing", ErrorCode.CONSENT_MISSING);

    private final String code;
    private final ErrorCode errorCode;

    Reason(String code, ErrorCode errorCode) {
        this.code = code;
        this.errorCode = errorCode;
    }

    public String code() { return code; }

    /** The client-facing error for a denial; null for {@link #ALLOWED}. */
    public ErrorCode errorCode() { return errorCode; }
}
