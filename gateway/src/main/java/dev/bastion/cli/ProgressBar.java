package dev.bastion.cli;

import java.io.PrintWriter;
import java.util.Locale;

/** A one-line progress bar redrawn in place with carriage returns, only when the whole percent changes. */
final class ProgressBar {
    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final ModelsCommand.ProgressMode mode;
    private final long threshold;
    private final String label;
    private final boolean bytes;
    private int lastPercent = -1;
    private boolean drawn;

    /** A bar for bytes ({@code hashing}, {@code pulling}) shown in auto mode from {@code threshold} bytes on. */
    ProgressBar(PrintWriter err, ModelsCommand.ProgressMode mode, long threshold, String label) {
        this(err, mode, threshold, label, true);
    }

    /** @param bytes whether the counts are bytes (else items) */
    ProgressBar(PrintWriter err, ModelsCommand.ProgressMode mode, long threshold, String label, boolean bytes) {
        this.err = err;
        this.mode = mode;
        this.threshold = threshold;
        this.label = label;
        this.bytes = bytes;
    }

    synchronized void update(long done, long total) {
        boolean show = switch (mode) {
            case always -> true;
            case never -> false;
            case auto -> total >= threshold;
        };
        if (!show) return;
        int percent = total == 0 ? 100 : (int) (done * 100 / total);
        if (percent == lastPercent) return;
        lastPercent = percent;
        int filled = percent * WIDTH / 100;
        err.print("\r" + label + " [" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] "
                + String.format(Locale.ROOT, "%3d%%  %s / %s", percent, bytes ? size(done) : Long.toString(done),
                bytes ? size(total) : Long.toString(total)));
        drawn = true;
        if (percent == 100) {
            err.println();
            drawn = false;
        }
        err.flush();
    }

    /** Ends a bar left unfinished by an error, so the message starts on its own line. */
    synchronized void abandon() {
        if (drawn) err.println();
    }

    static String size(long bytes) {
        if (bytes < 1024) return bytes + " B";
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
