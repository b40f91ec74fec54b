package dev.bastion.testing;

import dev.bastion.cli.Main;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keys minted the way the machine's operator mints them: {@code bastion keys create} on the host, against the
 * configuration file. Under the shipped policy this is how auditor and model-steward keys come to exist (the admin
 * may not grant those roles over the API).
 */
public final class OperatorKeys {
    private static final Pattern KEY = Pattern.compile("key:\\s+(bst_[a-z2-7]{12}_[A-Za-z0-9_-]{43})");

    private OperatorKeys() {}

    /** @param roles comma-separated role names */
    public static String create(Path configFile, String name, String roles) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute("keys", "create", "--config", configFile.toString(), "--name", name, "--role", roles);
        Matcher m = KEY.matcher(out.toString());
        if (code != 0 || !m.find()) throw new IllegalStateException("operator key creation failed (" + code + "): " + err);
        return m.group(1);
    }
}
