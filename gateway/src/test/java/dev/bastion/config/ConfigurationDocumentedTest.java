package dev.bastion.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.bastion.testing.TestFiles;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every key ConfigLoader reads is documented in docs/configuration.md: under the section of its first segment, as a
 * key in the first column of a table there (nested keys as {@code tls.mode}, {@code rules[].name}; a row may name a
 * key by its last part). The keys are the ones the loader asks for while reading the configurations below, which
 * take every branch of it (each store, key provider, TLS and inspection mode). Free-form names (labels, prices per
 * alias, claim maps) are written {@code USERKEY} here and {@code <name>} in the document.
 */
class ConfigurationDocumentedTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern TOKEN = Pattern.compile("`([^`]+)`");
    private static final Pattern MEMBERS = Pattern.compile("list of `\\{([a-z0-9, -]+)}`");

    /** Configurations that together take every branch of the loader; validity does not matter, only what is read. */
    private static final List<String> CONFIGURATIONS = List.of(
            "",
            """
            server:
              tls: {mode: files, client-auth: optional, mtls-rules: [{subject: x}]}
            store: {type: postgres}
            barrier: {provider: pkcs11}
            backends:
              - {name: a, url: "https://h/v1", tls: {ca: x}, health: {interval: 5s}, eject: {after: 3}}
            models:
              - {alias: one, backend: a, labels: {USERKEY: x}}
              - {alias: two, backends: [{backend: a}]}
            engine: {models: [{file: x.gguf}]}
            policy: {file: x.yaml}
            identity:
              issuers:
                - issuer: https://idp
                  claims:
                    roles: [{claim: roles, map: {USERKEY: admin}}]
                    attributes: {USERKEY: x}
                    service: {when: "true"}
            audit: {witnesses: [{key: k, url: "https://w"}]}
            egress: {allow: [{host: h}]}
            quotas:
              prices: {USERKEY: {prompt: 1}}
              rules: [{name: r, scope: key}]
            console: {oidc: {issuer: https://idp}}
            inspect:
              injection: {second-stage: onnx}
              untrusted: {roles: [tool], document-tags: [d]}
              ner: {model: m}
            """,
            "barrier: {provider: passphrase}\n",
            "barrier: {provider: insecure-file}\n");

    @Test
    void everyKeyTheLoaderReadsIsInDocsConfiguration() throws Exception {
        Set<String> asked = askedKeys();
        assertThat(asked).contains("server.port", "server.tls.mode", "barrier.provider", "engine.threads"); // the reach
        Map<String, Set<String>> documented = documentedKeys(Files.readString(
                TestFiles.testdata().getParent().resolve("docs/configuration.md")));
        List<String> missing = new ArrayList<>();
        for (String key : leaves(asked)) {
            if (!isDocumented(key, documented)) missing.add(key);
        }
        assertThat(missing).as("keys ConfigLoader reads that docs/configuration.md does not document").isEmpty();
    }

    @Test
    void aKeyRemovedFromTheDocumentIsMissed() throws Exception {
        String doc = Files.readString(TestFiles.testdata().getParent().resolve("docs/configuration.md"));
        String without = doc.replaceAll("(?m)^\\| `idle-timeout` \\|.*\\n", "");
        assertThat(without).isNotEqualTo(doc);
        assertThat(isDocumented("server.idle-timeout", documentedKeys(doc))).isTrue();
        assertThat(isDocumented("server.idle-timeout", documentedKeys(without))).isFalse();
        assertThat(isDocumented("server.no-such-key", documentedKeys(doc))).isFalse();
    }

    private static Set<String> askedKeys() throws Exception {
        Set<String> asked = new TreeSet<>();
        for (String yaml : CONFIGURATIONS) {
            try {
                ConfigLoader.parse(yaml.isEmpty() ? null : YAML.readTree(yaml), Map.of(), "test", asked::add);
            } catch (ConfigException expected) {
                // the fixtures are not meant to be valid; what the loader asked for is recorded either way
            }
        }
        Set<String> normalised = new TreeSet<>();
        for (String k : asked) normalised.add(normalise(k));
        return normalised;
    }

    /** {@code backends[0].tls.ca} → {@code backends.tls.ca}; a free-form name → {@code <>} (trailing ones dropped). */
    static String normalise(String key) {
        String k = key.replaceAll("\\[\\d*]", "").replace("USERKEY", "<>").replaceAll("<[^>]*>", "<>");
        while (k.endsWith(".<>")) k = k.substring(0, k.length() - 3);
        return k.startsWith(".") ? k.substring(1) : k;
    }

    /** Keys under which no other key was read: containers are documented through their members. */
    private static List<String> leaves(Set<String> keys) {
        List<String> out = new ArrayList<>();
        for (String k : keys) {
            if (keys.stream().noneMatch(o -> o.startsWith(k + "."))) out.add(k);
        }
        return out;
    }

    /** Section name (a {@code ## `name`} heading) → keys in the first column of its tables, normalised. */
    static Map<String, Set<String>> documentedKeys(String doc) {
        Map<String, Set<String>> out = new HashMap<>();
        Set<String> current = null;
        for (String line : doc.split("\n")) {
            if (line.startsWith("## ")) {
                Matcher m = TOKEN.matcher(line);
                current = m.find() ? out.computeIfAbsent(m.group(1), s -> new HashSet<>()) : null;
            } else if (current != null && line.startsWith("| ")) {
                String firstCell = line.substring(2, Math.max(2, line.indexOf(" |", 1)));
                Matcher m = TOKEN.matcher(firstCell);
                List<String> named = new ArrayList<>();
                while (m.find()) named.add(normalise(m.group(1)));
                current.addAll(named);
                // "list of `{file, name, alias}`" in the row names the members of a one-key row's list
                Matcher members = MEMBERS.matcher(line);
                if (named.size() == 1 && members.find()) {
                    for (String member : members.group(1).split(",\\s*")) current.add(named.getFirst() + "." + member.strip());
                }
            }
        }
        return out;
    }

    static boolean isDocumented(String key, Map<String, Set<String>> documented) {
        int dot = key.indexOf('.');
        String section = dot < 0 ? key : key.substring(0, dot);
        Set<String> keys = documented.get(section);
        if (keys == null) return false;
        if (dot < 0) return true;
        String rest = key.substring(dot + 1);
        // the key itself, a row naming it by its last part, or (a list no fixture filled) rows for its members
        return keys.stream().anyMatch(t -> !t.isEmpty()
                && (rest.equals(t) || rest.endsWith("." + t) || t.startsWith(rest + ".")));
    }
}
