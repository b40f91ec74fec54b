package dev.bastion.cli;

import dev.bastion.inspect.DryRun;
import dev.bastion.inspect.Inspector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * {@code bastion inspect}: reads JSON lines {@code {"id","text"}} on stdin and writes one line
 * {@code {"id","findings":[{"type","start","end","score"}]}} per input line (UTF-16 char offsets, end exclusive).
 * A malformed line gets an error object on its own output line; the command goes on with the next.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Dry-run the PII/PHI/secret/prompt-injection detectors over JSON lines {\"id\",\"text\"} on stdin.")
public final class InspectCommand implements Callable<Integer> {

    @Option(names = "--no-injection", description = "Skip the prompt-injection detector.")
    boolean noInjection;

    @Option(names = "--max-line-chars", description = "Longer lines are answered with an error (default ${DEFAULT-VALUE}).")
    int maxLineChars = 4 * 1024 * 1024;

    private final InputStream in;
    private final OutputStream out;

    public InspectCommand() {
        this(System.in, System.out);
    }

    public InspectCommand(InputStream in, OutputStream out) {
        this.in = in;
        this.out = out;
    }

    @Override
    public Integer call() throws IOException {
        DryRun dry = new DryRun(Inspector.builder().injection(!noInjection).build());
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        for (String line; (line = r.readLine()) != null; ) {
            if (line.isBlank()) continue;
            w.write(line.length() > maxLineChars
                    ? "{\"id\":null,\"error\":{\"code\":\"line_too_long\",\"message\":\"line exceeds --max-line-chars\"}}"
                    : dry.line(line));
            w.newLine();
            w.flush();
        }
        return 0;
    }
}
