package dev.bastion.policy;

/**
 * One reason a policy (or cases) file was rejected, located in the file.
 *
 * @param file   the file name as given to the compiler
 * @param line   1-based line, 0 when unknown
 * @param column 1-based column, 0 when unknown
 */
public record PolicyError(String file, int line, int column, String message) {
    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ":" + column + ": " + message : file + ": " + message;
    }
}
