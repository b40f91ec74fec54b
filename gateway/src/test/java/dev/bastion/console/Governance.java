package dev.bastion.console;

import dev.bastion.cli.Main;
import dev.bastion.testing.TestGateway;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** Puts a model registry entry where a steward can approve it: registered, carded, evaluated (with groups). */
final class Governance {
    private Governance() {}

    static String evaluatedEntry(TestGateway gw, dev.bastion.testing.StandInUpstream upstream, String submitter,
                                 String risk) throws Exception {
        upstream.reports("stand-in-7b", "rev-1"); // the identity the entry expects: only then does it route
        var r = gw.send("POST", "/bastion/v1/models", submitter,
                "{\"source\":\"remote\",\"name\":\"stand-in-7b\",\"backend\":\"standin\",\"upstream_model\":\"stand-in-7b\",\"expected_identity\":\"rev-1\"}");
        if (r.statusCode() != 201) throw new IllegalStateException("register: " + r.body());
        String id = TestGateway.json(r.body()).path("id").asText();
        var card = gw.send("PUT", "/bastion/v1/models/" + id + "/card", submitter, """
                {"intended_use":"Answering internal support questions in English.",
                 "out_of_scope_uses":["medical or legal advice"],"training_data":["public web text (vendor statement)"],
                 "licence":"Apache-2.0","limitations":["may invent facts"],"risk":"%s","contact":"ml-governance@example.org"}"""
                .formatted(risk));
        if (card.statusCode() != 200) throw new IllegalStateException("card: " + card.body());
        Path dir = Files.createTempDirectory("bastion-console-gov");
        Path suite = dir.resolve("support.jsonl");
        Files.writeString(suite, """
                {"suite":{"name":"support-basics","gate":{"min_accuracy":0.5}}}
                {"id":"greets","prompt":"Say hello to a customer.","expected":"hello","match":"contains","group":"en"}
                {"id":"sum","prompt":"What is 40 + 2?","expected":"42","match":"numeric","group":"numbers"}
                """);
        Path key = dir.resolve("key.txt");
        Files.writeString(key, submitter);
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(out));
        int code = cli.execute("models", "evaluate", id, "--suite", suite.toString(), "--progress", "never",
                "--url", gw.base().toString(), "--key-file", key.toString(), "-c", gw.dataDir.resolve("bastion.yaml").toString());
        if (code != 0 && code != 3) throw new IllegalStateException("evaluate: " + code + " " + out);
        return id;
    }
}
