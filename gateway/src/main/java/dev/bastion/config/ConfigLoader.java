package dev.bastion.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.bastion.common.Secret;
import dev.bastion.store.StoreConfig;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Loads {@code bastion.yaml} (or embedded defaults when there is none), applies {@code BASTION_*} environment
 * overrides and validates everything at once, so a bad start names every bad key in one message.
 */
public final class ConfigLoader {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ConfigLoader() {}

    /** Loads a file; {@code file == null} means embedded defaults (still subject to environment overrides). */
    public static BastionConfig load(Path file, Map<String, String> env) {
        JsonNode root = null;
        String source = file == null ? "embedded defaults" : file.toString();
        if (file != null) {
            try {
                root = YAML.readTree(Files.readString(file));
            } catch (JacksonException e) {
                var loc = e.getLocation();
                throw new ConfigException(source, List.of("not valid YAML"
                        + (loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr())
                        + ": " + e.getOriginalMessage()));
            } catch (IOException e) {
                throw new ConfigException(source, List.of("cannot read file: " + e.getMessage()));
            }
        }
        return parse(root, env, source);
    }

    static BastionConfig parse(JsonNode root, Map<String, String> env, String source) {
        List<String> problems = new ArrayList<>();
        ConfigReader top = new ConfigReader("", root, env, problems);

        ConfigReader s = top.section("server");
        ServerSettings server = new ServerSettings(
                s.string("host", "127.0.0.1"),
                s.integer("port", 8080, 0, 65535),
                s.size("max-body-size", 4L * 1024 * 1024, 1024, 256L * 1024 * 1024),
                (int) s.size("max-header-size", 16 * 1024, 1024, 1024 * 1024),
                s.duration("read-timeout", Duration.ofSeconds(30)),
                s.duration("idle-timeout", Duration.ofMinutes(2)),
                s.duration("shutdown-grace", Duration.ofSeconds(30)),
                s.integer("max-connections", 10_000, 1, 1_000_000));
        checkBind(s, server.host());

        Path dataDir = Path.of(top.string("data-dir", "data"));

        ConfigReader st = top.section("store");
        StoreConfig.Kind kind = st.choice("type", StoreConfig.Kind.class, StoreConfig.Kind.SQLITE);
        StoreConfig store;
        if (kind == StoreConfig.Kind.SQLITE) {
            store = StoreConfig.sqlite(Path.of(st.string("file", dataDir.resolve("bastion.db").toString())));
        } else {
            String url = st.requiredString("url");
            if (!url.isEmpty() && !url.startsWith("jdbc:postgresql:")) {
                st.problem("url", "must be a jdbc:postgresql: URL");
            }
            store = StoreConfig.postgres(url, st.string("user", "bastion"), new Secret(st.string("password", null)),
                    st.integer("pool-size", 16, 1, 512));
        }

        ConfigReader lim = top.section("limits");
        BastionConfig.Limits limits = new BastionConfig.Limits(
                lim.integer("max-tokens", 32_768, 1, 10_000_000),
                lim.integer("max-json-depth", 64, 4, 1_000),
                lim.integer("max-messages", 2_048, 1, 1_000_000));

        List<BackendSettings> backends = top.list("backends", ConfigLoader::backend);
        List<ModelSettings> models = top.list("models", ConfigLoader::model);
        checkReferences(top, backends, models);

        top.finish();
        if (!problems.isEmpty()) throw new ConfigException(source, problems);
        return new BastionConfig(server, dataDir, store, limits, backends, models);
    }

    private static BackendSettings backend(ConfigReader r) {
        String name = r.requiredString("name");
        if (!name.isEmpty() && !NAME.matcher(name).matches()) r.problem("name", "must be letters, digits, . _ : / -");
        BackendSettings.Type type = r.choice("type", BackendSettings.Type.class, BackendSettings.Type.OPENAI);
        URI url = null;
        String rawUrl = r.requiredString("url");
        if (!rawUrl.isEmpty()) {
            try {
                url = new URI(rawUrl);
                if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
                    r.problem("url", "must be an http:// or https:// URL with a host (got '" + rawUrl + "')");
                }
            } catch (URISyntaxException e) {
                r.problem("url", "is not a valid URL: " + e.getReason());
            }
        }
        String keyEnv = r.string("api-key-env", null);
        Secret apiKey = Secret.NONE;
        if (keyEnv != null) {
            String v = System.getenv(keyEnv);
            if (v == null) r.problem("api-key-env", "environment variable " + keyEnv + " is not set");
            else apiKey = new Secret(v);
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        String region = r.string("region", null);
        if (region != null) attributes.put("region", region);
        String maxClass = r.string("max-classification", null);
        if (maxClass != null) attributes.put("max_classification", maxClass);
        return new BackendSettings(name, type, url, apiKey,
                r.duration("connect-timeout", Duration.ofSeconds(5)),
                r.duration("read-timeout", Duration.ofSeconds(120)),
                r.integer("max-connections", 256, 1, 100_000),
                attributes);
    }

    private static ModelSettings model(ConfigReader r) {
        String alias = r.requiredString("alias");
        if (!alias.isEmpty() && !NAME.matcher(alias).matches()) r.problem("alias", "must be letters, digits, . _ : / -");
        String backend = r.requiredString("backend");
        String upstream = r.string("model", alias);
        Map<String, String> labels = new LinkedHashMap<>();
        ConfigReader l = r.section("labels");
        // labels are free-form: read every key present as a string
        for (String key : l.keys()) labels.put(key, l.string(key, ""));
        return new ModelSettings(alias, backend, upstream, labels);
    }

    private static void checkReferences(ConfigReader top, List<BackendSettings> backends, List<ModelSettings> models) {
        Set<String> names = new HashSet<>();
        for (BackendSettings b : backends) {
            if (!names.add(b.name())) top.problem("backends", "backend name '" + b.name() + "' is declared twice");
        }
        Set<String> aliases = new HashSet<>();
        for (ModelSettings m : models) {
            if (!aliases.add(m.alias())) top.problem("models", "model alias '" + m.alias() + "' is declared twice");
            if (!m.backend().isEmpty() && !names.contains(m.backend())) {
                top.problem("models", "model alias '" + m.alias() + "' names unknown backend '" + m.backend() + "'");
            }
        }
    }

    /** Plain HTTP only on loopback: anything else would send keys and prompts across a network in clear. */
    private static void checkBind(ConfigReader s, String host) {
        if (!isLoopback(host)) {
            s.problem("host", "binding to '" + host + "' needs TLS: plain HTTP is only allowed on loopback "
                    + "(127.0.0.1, ::1, localhost); configure server.tls or bind to loopback");
        }
    }

    static boolean isLoopback(String host) {
        try {
            InetAddress[] all = InetAddress.getAllByName(host);
            for (InetAddress a : all) if (!a.isLoopbackAddress()) return false;
            return all.length > 0;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
