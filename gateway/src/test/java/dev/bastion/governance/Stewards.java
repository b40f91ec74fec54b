package dev.bastion.governance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.cli.Main;
import dev.bastion.testing.TestGateway;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The people of a governance test against a real gateway: model stewards (each its own key, so each its own
 * principal), a developer who uses models, and the registry API and CLI as they would use them.
 */
final class Stewards {
    final TestGateway gw;
    final Path dir;
    final String a;
    final String b;
    final String c;
    final String developer;

    /** Remote models registered through these stewards are reported by it at the identity they expect (rev-1). */
    private dev.bastion.testing.StandInUpstream upstream;

    Stewards(TestGateway gw, dev.bastion.testing.StandInUpstream upstream) throws Exception {
        this(gw);
        this.upstream = upstream;
    }

    Stewards(TestGateway gw) throws Exception {
        this.gw = gw;
        this.dir = Files.createTempDirectory("bastion-stewards");
        this.a = steward("steward-a");
        this.b = steward("steward-b");
        this.c = steward("steward-c");
        this.developer = gw.developerKey();
    }

    /** Stewards check what the admin deploys: the admin may not mint them (issue 13), the host's operator does. */
    private String steward(String name) throws Exception {
        return gw.operatorKey(name, "model-steward");
    }

    HttpResponse<String> post(String key, String path, String body) throws Exception {
        return gw.send("POST", path, key, body);
    }

    HttpResponse<String> get(String key, String path) throws Exception {
        return gw.send("GET", path, key, null);
    }

    /** Registers a remote model and returns its entry id. */
    String registerRemote(String key, String name, String backend, String upstream) throws Exception {
        if (this.upstream != null) this.upstream.reports(upstream, "rev-1");
        var r = post(key, "/bastion/v1/models", """
                {"source":"remote","name":"%s","backend":"%s","upstream_model":"%s","expected_identity":"rev-1"}"""
                .formatted(name, backend, upstream));
        if (r.statusCode() != 201) throw new IllegalStateException("register: " + r.statusCode() + " " + r.body());
        return TestGateway.json(r.body()).path("id").asText();
    }

    /** Writes a complete card with the given risk tier. */
    JsonNode card(String key, String id, String risk) throws Exception {
        var r = gw.send("PUT", "/bastion/v1/models/" + id + "/card", key, """
                {"intended_use":"Answering internal support questions in English.",
                 "out_of_scope_uses":["medical or legal advice","decisions about individuals"],
                 "training_data":["public web text (vendor statement)","internal FAQ, 2025"],
                 "licence":"Apache-2.0",
                 "limitations":["may invent facts","English only"],
                 "risk":"%s","contact":"ml-governance@example.org"}""".formatted(risk));
        if (r.statusCode() != 200) throw new IllegalStateException("card: " + r.statusCode() + " " + r.body());
        return TestGateway.json(r.body());
    }

    /** A suite file in the test's directory. */
    Path suite(String fileName, String text) throws IOException {
        Path f = dir.resolve(fileName);
        Files.writeString(f, text);
        return f;
    }

    /** Runs {@code bastion models ARGS…} in-process against the gateway with a key; returns exit code and output. */
    Cli cli(String key, String... args) throws IOException {
        Path keyFile = Files.createTempFile(dir, "key", ".txt");
        Files.writeString(keyFile, key);
        List<String> all = new ArrayList<>(List.of("models"));
        all.addAll(List.of(args));
        all.addAll(List.of("--url", gw.base().toString(), "--key-file", keyFile.toString(),
                "-c", gw.dataDir.resolve("bastion.yaml").toString()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(all.toArray(String[]::new));
        return new Cli(code, out.toString(), err.toString());
    }

    record Cli(int code, String out, String err) {}

    /** Evaluates an entry with a suite through the CLI, and returns the entry's state afterwards. */
    String evaluate(String key, String id, Path suite) throws Exception {
        Cli r = cli(key, "evaluate", id, "--suite", suite.toString(), "--progress", "never");
        if (r.code() != 0 && r.code() != 3) throw new IllegalStateException("evaluate: " + r.code() + " " + r.err() + r.out());
        return state(id);
    }

    String state(String id) throws Exception {
        return TestGateway.json(get(a, "/bastion/v1/models/" + id).body()).path("state").asText();
    }

    HttpResponse<String> approve(String key, String id) throws Exception {
        return post(key, "/bastion/v1/models/" + id + "/approve", null);
    }

    HttpResponse<String> chat(String key, String alias) throws Exception {
        return gw.chat(key, "{\"model\":\"" + alias + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}");
    }
}
