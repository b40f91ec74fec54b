package dev.bastion.engine;

/**
 * Worker exit codes (sysexits.h values). The supervisor restarts a worker that crashed, but not one that refused to
 * start for a reason a restart cannot fix.
 */
public final class ExitCodes {
    public static final int OK = 0;
    /** Bad command line. */
    public static final int USAGE = 64;
    /** The model file's digest differs from the expected one, or the file is not a usable GGUF model. */
    public static final int DATA_ERROR = 65;
    /** The model file does not exist or cannot be read. */
    public static final int NO_INPUT = 66;
    /** Network isolation was required and could not be established. */
    public static final int UNAVAILABLE = 69;
    /** Anything else: a bug or a native failure. */
    public static final int SOFTWARE = 70;

    private ExitCodes() {}

    /** True for codes that mean "do not restart, it will fail the same way". */
    public static boolean permanent(int code) {
        return code == USAGE || code == DATA_ERROR || code == NO_INPUT || code == UNAVAILABLE;
    }
}
