package dev.bastion.cli;

import dev.bastion.testing.TestFiles;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Every command a user can type answers --help, finds its configuration with --config, and completes in a shell. */
class EveryCommandHelpsTest {
    /** Commands that read no configuration and no store: they take their input as arguments. */
    private static final Set<String> WITHOUT_CONFIG = Set.of("policy check", "policy test", "inspect",
            "audit verify", "subjects verify", "completion");

    @Test
    void everyCommandAndSubcommandAnswersHelpWithUsageAndExitZero() {
        List<List<String>> paths = new ArrayList<>();
        walk(Main.commandLine(), new ArrayList<>(), paths);
        assertThat(paths).hasSizeGreaterThanOrEqualTo(40); // the walk reached the whole tree, not the root alone
        for (List<String> path : paths) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cli = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            int code = cli.execute(args.toArray(String[]::new));
            String name = String.join(" ", path);
            assertThat(code).as("bastion %s --help: %s", name, err).isZero();
            assertThat(out.toString()).as(name).startsWith("Usage: bastion" + (path.isEmpty() ? "" : " " + name));
        }
    }

    @Test
    void everyCommandThatReadsTheConfigurationTakesConfig() {
        List<List<String>> paths = new ArrayList<>();
        walk(Main.commandLine(), new ArrayList<>(), paths);
        CommandLine root = Main.commandLine();
        for (List<String> path : paths) {
            CommandLine cmd = root;
            for (String p : path) cmd = cmd.getSubcommands().get(p);
            String name = String.join(" ", path);
            if (!cmd.getSubcommands().isEmpty() || path.isEmpty() || WITHOUT_CONFIG.contains(name)) continue;
            assertThat(cmd.getCommandSpec().findOption("--config")).as("bastion %s --config", name).isNotNull();
        }
    }

    @Test
    void completionScriptCoversTheCommandTree() {
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine().setOut(new PrintWriter(out));
        assertThat(cli.execute("completion", "bash")).isZero();
        assertThat(out.toString()).contains("complete -F").contains("operator").contains("unseal").contains("init");
    }

    /**
     * The launcher's JVM flags (bin/java-home.sh) add no noise of their own: no "Using incubator modules" or
     * sun.misc.Unsafe warning from the JVM before a user's first command, and a first {@code init} (store, barrier,
     * policy, key) prints no JVM warning either.
     */
    @Test
    void theLaunchersJvmFlagsPrintNoWarning() throws Exception {
        String script = Files.readString(TestFiles.testdata().getParent().resolve("bin/java-home.sh"));
        Matcher m = Pattern.compile("(?m)^BASTION_JVM_FLAGS=\"([^\"]*)\"").matcher(script);
        assertThat(m.find()).as("BASTION_JVM_FLAGS in bin/java-home.sh").isTrue();
        List<String> jvm = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        jvm.addAll(List.of(m.group(1).trim().split("\\s+")));
        jvm.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.bastion.cli.Main"));

        String[] help = run(jvm, "--help");
        assertThat(help[0]).startsWith("Usage: bastion");
        assertThat(help[1]).isEmpty();

        java.nio.file.Path dir = Files.createTempDirectory("bastion-launcher");
        int closed;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        String[] init = run(jvm, "init", "--config", dir.resolve("bastion.yaml").toString(),
                "--data-dir", dir.resolve("data").toString(), "--scan-port", String.valueOf(closed));
        assertThat(init[0]).contains("BASTION_APP_KEY=bst_");
        assertThat(init[1].lines().filter(l -> l.startsWith("WARNING: ") || l.contains("CudaUtils")).toList())
                .as(init[1]).isEmpty();
    }

    /** Helidon finds Bastion's logging provider, so it does not announce at every start that it has none. */
    @Test
    void helidonFindsBastionsLoggingProvider() {
        assertThat(java.util.ServiceLoader.load(io.helidon.logging.common.spi.LoggingProvider.class).stream()
                .map(p -> p.type().getName()).toList()).containsExactly("dev.bastion.server.HelidonLogging");
    }

    private static String[] run(List<String> command, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(command);
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(err.join()).isZero();
        return new String[] {stdout, err.join()};
    }

    private static void walk(CommandLine cmd, List<String> path, List<List<String>> into) {
        into.add(List.copyOf(path));
        for (var e : cmd.getSubcommands().entrySet()) {
            if (e.getValue().getCommandSpec().aliases().length > 0 && !e.getKey().equals(e.getValue().getCommandName())) continue;
            path.add(e.getKey());
            walk(e.getValue(), path, into);
            path.removeLast();
        }
    }
}
