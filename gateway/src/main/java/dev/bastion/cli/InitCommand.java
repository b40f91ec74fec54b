package dev.bastion.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bastion init}: the first hour in one command. Looks for model servers on this machine's usual ports, writes a
 * commented {@code bastion.yaml} that serves them on loopback, creates an application key (through {@code bastion
 * keys create}, so it is decided and recorded like any other) and prints a request that works as printed.
 */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Write a commented bastion.yaml for the model servers found on this machine, create an "
                + "application key and print curl, Python and JavaScript examples that work as printed.")
final class InitCommand implements Callable<Integer> {
    private static final Pattern KEY = Pattern.compile("(?m)^key:\\s+(\\S+)");

    @Spec CommandSpec spec;
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = "bastion.yaml",
            description = "the file to write (default: ${DEFAULT-VALUE})")
    Path file;
    @Option(names = "--force", description = "overwrite an existing file") boolean force;
    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "data",
            description = "where Bastion keeps its data (default: ${DEFAULT-VALUE})")
    String dataDir;
    @Option(names = "--port", description = "Bastion's port (default: 8080, or the next free one when a model server has it)")
    Integer port;
    @Option(names = "--scan-port", paramLabel = "PORT", split = ",",
            description = "loopback ports to look for model servers on (default: 8000, 8080, 1234, 11434)")
    List<Integer> scanPorts;
    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT0.5S", description = "per probe (default: 0.5s)")
    Duration timeout;
    @Option(names = "--key-name", defaultValue = "my-app", description = "name of the application key (default: ${DEFAULT-VALUE})")
    String keyName;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (Files.exists(file) && !force) {
            err.println("bastion init: " + file + " exists; not overwritten (use --force to replace it)");
            return 2;
        }
        List<Integer> ports = scanPorts == null ? LocalModelServers.USUAL_PORTS : scanPorts;
        List<LocalModelServers.Found> found = LocalModelServers.detect(ports, timeout);
        int bastionPort = port != null ? port : freePort(found);
        InitYaml yaml = InitYaml.of(found, bastionPort, dataDir);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Files.writeString(file, yaml.text());
        out.println("Wrote " + file + (found.isEmpty() ? " (no model server found on loopback ports " + ports + ")"
                : " for " + found.size() + " model server(s): " + found.stream()
                .map(f -> f.type() + " on " + f.port()).toList()));

        String key = createKey(err);
        if (key == null) return 1;
        String base = "http://127.0.0.1:" + bastionPort;
        out.println("""

                Application key '%s' (role developer; shown only now):
                  export BASTION_APP_KEY=%s

                Start Bastion (it prints an admin key once, on its first start):
                  bin/bastion serve --config %s
                """.formatted(keyName, key, file));
        if (yaml.alias() == null) {
            out.println("No model is declared yet: start a model server and run `bastion init --force`, or add a"
                    + " backend and a model to " + file + " by hand (docs/configuration.md).");
        } else {
            out.println(Snippets.all(base, yaml.alias()));
        }
        out.flush();
        return 0;
    }

    /** The key comes from {@code keys create}, so init has no key path of its own. */
    private String createKey(PrintWriter err) {
        CommandLine cli = Main.commandLine();
        StringWriter captured = new StringWriter();
        cli.setOut(new PrintWriter(captured, true));
        cli.setErr(new PrintWriter(captured, true));
        int code = cli.execute("keys", "create", "--config", file.toString(), "--name", keyName, "--role", "developer");
        Matcher m = KEY.matcher(captured.toString());
        if (code != 0 || !m.find()) {
            err.println("bastion init: the configuration is written, but the application key could not be created:");
            err.println(captured.toString().strip());
            err.println("create it later with: bin/bastion keys create --config " + file + " --name " + keyName);
            return null;
        }
        return m.group(1);
    }

    /** 8080 unless a model server (llama.cpp's default) or something else holds it; then the next free port. */
    private static int freePort(List<LocalModelServers.Found> found) {
        for (int p = 8080; p < 8100; p++) {
            final int candidate = p;
            if (found.stream().anyMatch(f -> f.port() == candidate)) continue;
            try (ServerSocket s = new ServerSocket(candidate, 1, InetAddress.getLoopbackAddress())) {
                return candidate;
            } catch (IOException busy) {
                // taken: try the next one
            }
        }
        return 8080;
    }
}
