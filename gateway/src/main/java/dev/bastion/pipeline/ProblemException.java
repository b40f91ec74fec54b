package dev.bastion.pipeline;

/**
 * Carries a {@link Problem} through code that cannot return an {@link Outcome} (parsers, backend adapters).
 * No stack trace: these are expected outcomes, not bugs, and a trace could only tempt someone to log it.
 */
public final class ProblemException extends RuntimeException {
    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(problem.code().code() + ": " + problem.message(), null, false, false);
        this.problem = problem;
    }

    public ProblemException(ErrorCode code, String message) {
        this(code.problem(message));
    }

    public Problem problem() { return problem; }
}
