package dev.bastion.engine;

/** A request the worker refuses; carries the error to answer with. No stack trace: it is an outcome, not a bug. */
final class HttpProblem extends Exception {
    private final EngineError error;
    private final String param;

    HttpProblem(EngineError error, String message, String param) {
        super(message, null, false, false);
        this.error = error;
        this.param = param;
    }

    EngineError error() { return error; }

    String param() { return param; }
}
