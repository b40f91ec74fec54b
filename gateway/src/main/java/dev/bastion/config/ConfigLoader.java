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
        return parse(root, env, source, key -> {});
    }

    /** @param asked hears every key path read, present or not (the documentation test lists them) */
    static BastionConfig parse(JsonNode root, Map<String, String> env, String source,
                               java.util.function.Consumer<String> asked) {
        List<String> problems = new ArrayList<>();
        ConfigReader top = new ConfigReader("", root, env, problems, asked);

        ConfigReader s = top.section("server");
        ServerSettings server = new ServerSettings(
                s.string("host", "127.0.0.1"),
                s.integer("port", 8080, 0, 65535),
                s.size("max-body-size", 4L * 1024 * 1024, 1024, 256L * 1024 * 1024),
                (int) s.size("max-header-size", 16 * 1024, 1024, 1024 * 1024),
                s.duration("read-timeout", Duration.ofSeconds(30)),
                s.duration("idle-timeout", Duration.ofMinutes(2)),
                s.duration("shutdown-grace", Duration.ofSeconds(30)),
                s.integer("max-connections", 10_000, 1, 1_000_000),
                tls(s.section("tls")));
        checkBind(s, server.host(), server.tls());

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

        ConfigReader barrierSection = top.section("barrier");
        BarrierSettings barrier = barrier(barrierSection);
        checkKeyProvider(barrierSection, barrier.provider(), server.host());

        ConfigReader lim = top.section("limits");
        BastionConfig.Limits limits = new BastionConfig.Limits(
                lim.integer("max-tokens", 32_768, 1, 10_000_000),
                lim.integer("max-json-depth", 64, 4, 1_000),
                lim.integer("max-messages", 2_048, 1, 1_000_000),
                lim.integer("inspection-window", 128, 64, 65_536));

        List<BackendSettings> backends = top.list("backends", ConfigLoader::backend);
        List<ModelSettings> models = top.list("models", ConfigLoader::model).stream().filter(java.util.Objects::nonNull).toList();
        EngineSettings engine = engine(top.section("engine"));
        checkReferences(top, backends, models, engine);

        // access control: the policy file and the trusted OIDC/JWT issuers
        PolicySettings policy = policy(top.section("policy"));
        IdentitySettings identity = identity(top.section("identity"));
        AuditSettings audit = audit(top.section("audit"), server.host());
        EgressSettings egress = egress(top.section("egress"));
        GovernanceSettings governance = governance(top.section("governance"), dataDir);
        ConfigReader q = top.section("quotas");
        dev.bastion.quota.QuotaSettings quotas = quotas(q);
        int quotaDefaultMaxTokens = q.integer("default-max-tokens", 1024, 1, 10_000_000);
        ConsoleSettings console = console(top.section("console"), identity);
        InspectSettings inspect = InspectConfig.read(top.section("inspect"));
        dev.bastion.telemetry.TelemetrySettings telemetry = telemetry(top.section("telemetry"));
        PrivacySettings privacy = privacy(top.section("privacy"), top.list("siem", ConfigLoader::siem));
        RagSettings rag = RagSettings.read(top.section("rag"));

        top.finish();
        if (!problems.isEmpty()) throw new ConfigException(source, problems);
        return new BastionConfig(server, dataDir, store, barrier, limits, backends, models, engine, policy, identity, audit,
                egress, governance, new BastionConfig.Quotas(quotas, quotaDefaultMaxTokens), console, inspect, telemetry,
                privacy, rag);
    }

    // ---- the web console ------------------------------------------------------------------------------------

    private static ConsoleSettings console(ConfigReader c, IdentitySettings identity) {
        ConsoleSettings d = ConsoleSettings.DEFAULTS;
        boolean enabled = c.bool("enabled", d.enabled());
        ConsoleSettings.Oidc oidc = null;
        ConfigReader o = c.section("oidc");
        String issuer = o.string("issuer", null);
        if (issuer != null) {
            if (identity.issuers().stream().noneMatch(i -> i.jwt().issuer().equals(issuer))) {
                o.problem("issuer", "must be one of identity.issuers (its tokens are verified as API tokens are)");
            }
            List<String> scopes = new ArrayList<>(o.strings("scopes"));
            if (!scopes.contains("openid")) scopes.addFirst("openid");
            oidc = new ConsoleSettings.Oidc(issuer, o.requiredString("client-id"), secretFromEnv(o, "client-secret-env"),
                    scopes);
        }
        Duration ttl = c.duration("session-ttl", d.sessionTtl());
        Duration idle = c.duration("idle-timeout", d.idleTimeout());
        if (ttl.isNegative() || ttl.isZero() || ttl.toHours() > 24) c.problem("session-ttl", "must be within (0, 24h]");
        if (idle.isNegative() || idle.isZero() || idle.compareTo(ttl) > 0) c.problem("idle-timeout", "must be within (0, session-ttl]");
        String vkey = c.string("audit-verifier-key", null);
        if (vkey != null && !vkey.matches("[^+\\s]+\\+[0-9a-f]{8}\\+[A-Za-z0-9+/=]{40,}")) {
            c.problem("audit-verifier-key", "must be a C2SP verifier key: <name>+<8 hex>+<base64>");
        }
        URI publicUrl = null;
        String url = c.string("public-url", null);
        if (url != null) {
            try {
                publicUrl = new URI(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
                if (!"https".equals(publicUrl.getScheme()) && !"http".equals(publicUrl.getScheme())) throw new URISyntaxException(url, "scheme");
                if (publicUrl.getRawPath() != null && !publicUrl.getRawPath().isEmpty()) throw new URISyntaxException(url, "path");
            } catch (URISyntaxException e) {
                c.problem("public-url", "must be an http(s) origin without a path (https://bastion.example.com)");
            }
        }
        return new ConsoleSettings(enabled, oidc, ttl, idle, vkey, publicUrl);
    }

    // ---- telemetry: OpenTelemetry traces and metrics over OTLP ----------------------------------------------

    private static dev.bastion.telemetry.TelemetrySettings telemetry(ConfigReader t) {
        var off = dev.bastion.telemetry.TelemetrySettings.OFF;
        String url = t.string("endpoint", null);
        java.net.URI endpoint = null;
        if (url != null && !url.isBlank()) {
            try {
                endpoint = new java.net.URI(url.strip());
                String scheme = endpoint.getScheme();
                if (!("http".equals(scheme) || "https".equals(scheme)) || endpoint.getHost() == null) {
                    t.problem("endpoint", "must be an http(s) URL of the collector's OTLP/HTTP receiver");
                    endpoint = null;
                }
            } catch (java.net.URISyntaxException e) {
                t.problem("endpoint", "is not a valid URL");
            }
        }
        ConfigReader tr = t.section("traces");
        ConfigReader m = t.section("metrics");
        Double ratio = tr.decimal("sample-ratio", 1.0);
        return new dev.bastion.telemetry.TelemetrySettings(endpoint, t.string("service-name", off.serviceName()),
                freeMap(t.section("resource")), freeMap(t.section("headers")), path(t, "ca"),
                t.duration("timeout", off.timeout()), tr.bool("enabled", true), ratio == null ? off.sampleRatio() : ratio,
                tr.bool("parent-based", off.parentBased()), tr.duration("export-interval", off.exportInterval()),
                tr.integer("max-queued", off.maxQueued(), 1, 1_000_000), tr.integer("max-batch", off.maxBatch(), 1, 10_000),
                m.bool("enabled", true), m.duration("step", off.metricsStep()));
    }

    /** A mapping of free keys to string values (resource attributes, request headers). */
    private static java.util.Map<String, String> freeMap(ConfigReader r) {
        java.util.Map<String, String> out = new LinkedHashMap<>();
        for (String key : r.keys()) {
            String v = r.string(key, null);
            if (v != null) out.put(key, v);
        }
        return out;
    }

    // ---- governance: the model registry --------------------------------------------------------------------

    private static GovernanceSettings governance(ConfigReader g, Path dataDir) {
        ConfigReader s = g.section("signing");
        List<Path> keys = existingFiles(s, "keys");
        List<Path> roots = existingFiles(s, "roots");
        boolean require = s.bool("require", false);
        if (require && keys.isEmpty() && roots.isEmpty()) s.problem("require", "needs signing.keys or signing.roots");
        List<Path> modelDirs = paths(g, "model-dirs", dataDir.resolve("models"));
        List<Path> datasetDirs = paths(g, "dataset-dirs", dataDir.resolve("datasets"));
        List<String> hosts = g.strings("pull-hosts");
        for (String h : hosts) {
            if (!h.matches("[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?")) g.problem("pull-hosts", "'" + h + "' is not a host name");
        }
        return new GovernanceSettings(keys, roots, require, modelDirs, datasetDirs, hosts,
                g.bool("insecure-serve-unregistered", false), g.duration("identity-recheck", Duration.ofSeconds(60)));
    }

    private static List<Path> existingFiles(ConfigReader r, String key) {
        List<Path> out = new ArrayList<>();
        for (String f : r.strings(key)) {
            if (!Files.isRegularFile(Path.of(f))) r.problem(key, "no such file: " + f);
            out.add(Path.of(f));
        }
        return out;
    }

    private static List<Path> paths(ConfigReader r, String key, Path fallback) {
        List<String> given = r.strings(key);
        if (given.isEmpty()) return List.of(fallback);
        return given.stream().map(Path::of).toList();
    }

    // ---- privacy operations and SIEM export ----

    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    private static PrivacySettings privacy(ConfigReader p, List<PrivacySettings.Siem> siem) {
        ConfigReader c = p.section("controller");
        var controller = new PrivacySettings.Controller(c.string("name", ""), c.string("contact", ""),
                c.string("dpo", ""));
        List<PrivacySettings.Retention> retention = p.list("retention", ConfigLoader::retention);
        Set<String> names = new HashSet<>();
        for (var r : retention) if (!names.add(r.name())) p.problem("retention", "rule name '" + r.name() + "' is used twice");
        Set<String> sinks = new HashSet<>();
        for (var s : siem) if (!sinks.add(s.name())) p.problem("siem", "sink name '" + s.name() + "' is used twice");
        return new PrivacySettings(controller, p.strings("data-subject-categories"), p.string("home-region", ""),
                retention, p.duration("retention-interval", java.time.Duration.ofHours(1)), siem);
    }

    private static PrivacySettings.Retention retention(ConfigReader r) {
        String name = r.requiredString("name");
        if (!name.isEmpty() && !LABEL.matcher(name).matches()) r.problem("name", "must be letters, digits, . _ : -");
        var data = r.choice("data", PrivacySettings.Data.class, null);
        if (data == null) r.problem("data", "is required (pseudonyms, request-metadata, consents, subjects)");
        String purpose = r.string("purpose", null);
        String classification = r.string("classification", null);
        for (var e : new String[][] {{"purpose", purpose}, {"classification", classification}}) {
            if (e[1] != null && !LABEL.matcher(e[1]).matches()) r.problem(e[0], "must be a label");
        }
        java.time.Duration keep = r.duration("keep", null);
        if (keep == null || keep.isZero() || keep.isNegative()) r.problem("keep", "is required (a duration like 30d)");
        return new PrivacySettings.Retention(name, data, purpose, classification, keep);
    }

    private static PrivacySettings.Siem siem(ConfigReader r) {
        String name = r.requiredString("name");
        if (!name.isEmpty() && !LABEL.matcher(name).matches()) r.problem("name", "must be letters, digits, . _ : -");
        var format = r.choice("format", PrivacySettings.Format.class, PrivacySettings.Format.RFC5424);
        var transport = r.choice("transport", PrivacySettings.Transport.class, PrivacySettings.Transport.TLS);
        String host = null;
        int port = 0;
        Path file = null;
        if (transport == PrivacySettings.Transport.FILE) {
            String f = r.requiredString("file");
            if (!f.isEmpty()) file = Path.of(f);
        } else {
            host = r.requiredString("host");
            port = r.integer("port", transport == PrivacySettings.Transport.TLS ? 6514 : 514, 1, 65535);
        }
        Path ca = optionalPath(r, "ca");
        Path chain = optionalPath(r, "client-cert");
        Path key = optionalPath(r, "client-key");
        if ((chain == null) != (key == null)) r.problem("client-cert", "client-cert and client-key go together");
        if (transport != PrivacySettings.Transport.TLS && (ca != null || chain != null)) {
            r.problem("ca", "TLS settings need transport: tls");
        }
        String app = r.string("app-name", "bastion");
        if (!app.matches("[!-~]{1,48}")) r.problem("app-name", "must be 1 to 48 printable ASCII characters");
        boolean tls12 = r.bool("allow-tls12", false);
        return new PrivacySettings.Siem(name, format, transport, host, port, file, ca, chain, key, tls12, app,
                r.choice("start", PrivacySettings.Start.class, PrivacySettings.Start.BEGINNING));
    }

    private static Path optionalPath(ConfigReader r, String key) {
        String v = r.string(key, null);
        return v == null || v.isBlank() ? null : Path.of(v);
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
        Secret apiKey = secretFromEnv(r, "api-key-env");
        Map<String, String> attributes = new LinkedHashMap<>();
        String region = r.string("region", null);
        if (region != null) attributes.put("region", region);
        String maxClass = r.string("max-classification", null);
        if (maxClass != null) attributes.put("max_classification", maxClass);
        int maxConnections = r.integer("max-connections", 256, 1, 100_000);
        return new BackendSettings(name, type, url, apiKey,
                r.duration("connect-timeout", Duration.ofSeconds(5)),
                r.duration("read-timeout", Duration.ofSeconds(120)),
                maxConnections,
                attributes,
                upstreamTls(r.section("tls")),
                balancing(r, maxConnections),
                attestation(r, url));
    }

    /** A backend's {@code attestation:} block (read by the attest package), or null when it declares none. */
    private static dev.bastion.attest.AttestationSettings attestation(ConfigReader r, URI url) {
        com.fasterxml.jackson.databind.JsonNode block = r.subtree("attestation");
        if (block == null) return null;
        if (url != null && !"https".equals(url.getScheme())) {
            r.problem("attestation", "needs an https url: the evidence is bound to the backend's TLS key");
        }
        try {
            return dev.bastion.attest.AttestationConfig.parse(block, java.time.Clock.systemUTC());
        } catch (IllegalArgumentException e) {
            r.problem("attestation", e.getMessage());
            return null;
        }
    }

    /** Concurrency limit and queue, active health checks and passive ejection of one backend. */
    private static BackendSettings.Balancing balancing(ConfigReader r, int maxConnections) {
        var d = BackendSettings.Balancing.defaults(maxConnections);
        ConfigReader h = r.section("health");
        Duration interval = h.duration("interval", d.healthInterval());
        ConfigReader e = r.section("eject");
        Duration ejectFor = e.duration("for", d.ejectFor());
        if (ejectFor.isZero() || ejectFor.isNegative()) e.problem("for", "must be positive");
        return new BackendSettings.Balancing(r.integer("max-concurrency", maxConnections, 1, 100_000),
                r.integer("queue", d.queue(), 0, 100_000), r.duration("queue-timeout", d.queueTimeout()),
                interval, e.integer("after", d.ejectAfter(), 1, 1_000), ejectFor);
    }

    private static UpstreamTlsSettings upstreamTls(ConfigReader t) {
        List<String> pins = t.strings("spki-pins");
        for (String pin : pins) {
            if (!pin.matches("[A-Za-z0-9+/]{43}=")) t.problem("spki-pins", "pins are base64 SHA-256 digests (44 characters)");
        }
        Path chain = path(t, "client-cert");
        Path key = path(t, "client-key");
        if ((chain == null) != (key == null)) t.problem("client-cert", "client-cert and client-key go together");
        return new UpstreamTlsSettings(path(t, "ca"), pins, chain, key, secretFromEnv(t, "client-key-password-env"),
                t.bool("allow-tls12", false));
    }

    private static TlsSettings tls(ConfigReader t) {
        TlsSettings.Mode mode = t.choice("mode", TlsSettings.Mode.class, TlsSettings.Mode.NONE);
        Path chain = path(t, "cert-chain");
        Path key = path(t, "private-key");
        Path p12 = path(t, "pkcs12");
        if (mode == TlsSettings.Mode.FILES && (chain == null || key == null)) {
            t.problem("mode", "mode 'files' needs cert-chain and private-key");
        }
        if (mode == TlsSettings.Mode.PKCS12 && p12 == null) t.problem("mode", "mode 'pkcs12' needs pkcs12");
        TlsSettings.ClientAuth clientAuth = t.choice("client-auth", TlsSettings.ClientAuth.class,
                TlsSettings.ClientAuth.NONE);
        Path clientCa = path(t, "client-ca");
        if (clientAuth != TlsSettings.ClientAuth.NONE && clientCa == null) {
            t.problem("client-auth", "client certificates need client-ca (the CA bundle they must chain to)");
        }
        List<Map<String, Object>> rules = t.list("mtls-rules", ConfigLoader::mtlsRule);
        return new TlsSettings(mode, chain, key, secretFromEnv(t, "private-key-password-env"), p12,
                secretFromEnv(t, "pkcs12-password-env"), t.bool("allow-tls12", false), clientAuth, clientCa,
                t.duration("reload-interval", Duration.ofSeconds(30)), t.strings("host-names"), rules);
    }

    private static Map<String, Object> mtlsRule(ConfigReader r) {
        Map<String, Object> rule = new LinkedHashMap<>();
        String subject = r.string("subject", null);
        String san = r.string("san", null);
        if (subject == null && san == null) r.problem("subject", "a rule needs subject or san (a regular expression)");
        for (var e : new String[][] {{"subject", subject}, {"san", san}}) {
            if (e[1] == null) continue;
            try {
                java.util.regex.Pattern.compile(e[1]);
                rule.put(e[0], e[1]);
            } catch (java.util.regex.PatternSyntaxException ex) {
                r.problem(e[0], "is not a valid regular expression: " + ex.getDescription());
            }
        }
        rule.put("type", r.string("type", "service"));
        rule.put("roles", r.strings("roles"));
        rule.put("models", r.strings("models"));
        return rule;
    }

    private static AuditSettings audit(ConfigReader a, String host) {
        String origin = a.string("origin", host + "/bastion/audit");
        // the C2SP note key-name rule: the origin is also the signing key's name
        if (origin.isEmpty() || origin.chars().anyMatch(c -> c <= ' ' || c == '+' || c >= 0x7f)) {
            a.problem("origin", "must be non-empty printable ASCII without spaces or '+' (e.g. bastion.example.com/audit)");
        }
        Duration appendTimeout = a.duration("append-timeout", Duration.ofSeconds(5));
        if (appendTimeout.isZero() || appendTimeout.isNegative()) a.problem("append-timeout", "must be positive");
        Duration interval = a.duration("checkpoint-interval", Duration.ofMillis(500));
        if (interval.isZero() || interval.isNegative() || interval.toMillis() > 1000) {
            a.problem("checkpoint-interval", "must be within (0, 1s]");
        }
        List<AuditSettings.Witness> witnesses = a.list("witnesses", w -> {
            String key = w.requiredString("key");
            try {
                dev.bastion.audit.tlog.Cosignature.Verifier.parse(key);
            } catch (dev.bastion.audit.tlog.TlogException e) {
                w.problem("key", "must be a witness's cosigner key name+hash+base64 (" + e.getMessage() + ")");
            }
            URI url = null;
            try {
                url = new URI(w.requiredString("url"));
                dev.bastion.identity.JwksSource.checkUrl(url);
            } catch (URISyntaxException | IllegalArgumentException e) {
                w.problem("url", "must be an https:// URL (http:// only to loopback)");
            }
            return new AuditSettings.Witness(key, url);
        });
        int quorum = a.integer("witness-quorum", witnesses.size(), 0, Math.max(0, witnesses.size()));
        if (!witnesses.isEmpty() && quorum < 1) a.problem("witness-quorum", "must be at least 1 with witnesses");
        Duration witnessTimeout = a.duration("witness-timeout", Duration.ofSeconds(5));
        return new AuditSettings(origin, appendTimeout, interval, witnesses, quorum, witnessTimeout);
    }

    /** {@code quotas:} prices per model alias and the rules (scope + limits). */
    private static dev.bastion.quota.QuotaSettings quotas(ConfigReader q) {
        java.util.Map<String, dev.bastion.quota.QuotaSettings.Price> prices = new LinkedHashMap<>();
        ConfigReader p = q.section("prices");
        for (String alias : p.keys()) {
            ConfigReader price = p.section(alias);
            Double prompt = price.decimal("prompt", 1_000_000);
            Double completion = price.decimal("completion", 1_000_000);
            prices.put(alias, new dev.bastion.quota.QuotaSettings.Price(prompt == null ? 0 : prompt,
                    completion == null ? 0 : completion));
        }
        List<dev.bastion.quota.QuotaRule> rules = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (var rule : q.list("rules", ConfigLoader::quotaRule)) {
            if (rule == null) continue;
            if (!names.add(rule.name())) q.problem("rules", "quota '" + rule.name() + "' is declared twice");
            rules.add(rule);
        }
        return new dev.bastion.quota.QuotaSettings(prices, rules);
    }

    private static dev.bastion.quota.QuotaRule quotaRule(ConfigReader r) {
        String name = r.requiredString("name");
        String scope = r.requiredString("scope");
        java.util.Map<dev.bastion.quota.Metric, Long> limits = new java.util.EnumMap<>(dev.bastion.quota.Metric.class);
        for (dev.bastion.quota.Metric m : dev.bastion.quota.Metric.values()) {
            boolean money = m.key().startsWith("cost-");
            Long v;
            if (money) {
                Double d = r.decimal(m.key(), 1e12);
                v = d == null ? null : Math.round(d * 1_000_000); // micro-units, as prices are per million tokens
            } else {
                v = r.whole(m.key(), 0, Long.MAX_VALUE / 4);
            }
            if (v != null) limits.put(m, v);
        }
        dev.bastion.quota.QuotaRule.Scope parsed = null;
        try {
            if (!scope.isEmpty()) parsed = dev.bastion.quota.QuotaRule.scope(scope);
        } catch (IllegalArgumentException e) {
            r.problem("scope", e.getMessage());
        }
        if (limits.isEmpty()) r.problem("name", "a quota needs at least one limit (requests-per-minute, tokens-per-day, …)");
        if (parsed == null || limits.isEmpty() || name.isEmpty()) return null;
        try {
            return new dev.bastion.quota.QuotaRule(name, parsed, limits);
        } catch (IllegalArgumentException e) {
            r.problem("name", e.getMessage());
            return null;
        }
    }

    /** {@code egress:} the gate's mode and allow-list (host names or networks, each for one port or any). */
    private static EgressSettings egress(ConfigReader e) {
        var mode = e.choice("mode", dev.bastion.egress.EgressGate.Mode.class, dev.bastion.egress.EgressGate.Mode.DECLARED);
        List<dev.bastion.egress.AllowEntry> allow = new ArrayList<>();
        for (var entry : e.list("allow", ConfigLoader::allowEntry)) if (entry != null) allow.add(entry);
        return new EgressSettings(mode, allow);
    }

    private static dev.bastion.egress.AllowEntry allowEntry(ConfigReader r) {
        String host = r.string("host", null);
        String network = r.string("network", null);
        int port = r.integer("port", 0, 0, 65535);
        if ((host == null) == (network == null)) {
            r.problem("host", "give exactly one of host (a name or *.domain) and network (an address or CIDR block)");
            return null;
        }
        try {
            return host != null ? new dev.bastion.egress.AllowEntry.Host(host, port)
                    : dev.bastion.egress.AllowEntry.Network.parse(network, port);
        } catch (IllegalArgumentException ex) {
            r.problem(host != null ? "host" : "network", ex.getMessage());
            return null;
        }
    }

    private static BarrierSettings barrier(ConfigReader b) {
        String provider = b.string("provider", "insecure-file");
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("provider", provider);
        switch (provider) {
            case "insecure-file" -> {
                ConfigReader f = b.section("insecure-file");
                section.put("insecure-file", Map.of("path", f.string("path", "insecure-root.key")));
            }
            case "passphrase" -> {
                ConfigReader p = b.section("passphrase");
                section.put("passphrase", Map.of(
                        "memory-kib", p.integer("memory-kib", 65_536, 8_192, 4_194_304),
                        "iterations", p.integer("iterations", 3, 1, 100),
                        "parallelism", p.integer("parallelism", 1, 1, 64)));
            }
            case "pkcs11" -> {
                ConfigReader h = b.section("pkcs11");
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("library", h.requiredString("library"));
                String slot = h.string("slot", null);
                String index = h.string("slot-list-index", null);
                if (slot != null) s.put("slot", slot);
                if (index != null) s.put("slot-list-index", index);
                s.put("key-label", h.string("key-label", "bastion-root"));
                String pinEnv = h.string("pin-env", null);
                String pinFile = h.string("pin-file", null);
                if ((pinEnv == null) == (pinFile == null)) h.problem("pin-env", "give exactly one of pin-env and pin-file");
                if (pinEnv != null) s.put("pin-env", pinEnv);
                if (pinFile != null) s.put("pin-file", pinFile);
                s.put("create-key", h.bool("create-key", false));
                section.put("pkcs11", s);
            }
            default -> b.problem("provider", "must be one of [insecure-file, passphrase, pkcs11] (got '" + provider + "')");
        }
        return new BarrierSettings(provider, section);
    }

    private static Path path(ConfigReader r, String key) {
        String v = r.string(key, null);
        if (v == null || v.isBlank()) return null;
        try {
            return Path.of(v);
        } catch (java.nio.file.InvalidPathException e) {
            r.problem(key, "is not a valid file path");
            return null;
        }
    }

    /** A secret named by an environment variable ({@code …-env} keys); the variable must be set. */
    private static Secret secretFromEnv(ConfigReader r, String key) {
        String name = r.string(key, null);
        if (name == null) return Secret.NONE;
        String v = System.getenv(name);
        if (v == null) {
            r.problem(key, "environment variable " + name + " is not set");
            return Secret.NONE;
        }
        return new Secret(v);
    }

    private static ModelSettings model(ConfigReader r) {
        String alias = r.requiredString("alias");
        if (!alias.isEmpty() && !NAME.matcher(alias).matches()) r.problem("alias", "must be letters, digits, . _ : / -");
        Map<String, String> labels = new LinkedHashMap<>();
        ConfigReader l = r.section("labels");
        // labels are free-form: read every key present as a string
        for (String key : l.keys()) labels.put(key, l.string(key, ""));
        List<ModelSettings.Target> targets = new ArrayList<>();
        if (r.keys().contains("backends")) {
            if (r.keys().contains("backend") || r.keys().contains("model")) {
                r.problem("backends", "give either backend (and model) or backends, not both");
            }
            for (ModelSettings.Target t : r.list("backends", c -> target(c, alias))) if (t != null) targets.add(t);
            if (targets.isEmpty()) r.problem("backends", "needs at least one backend");
        } else {
            targets.add(new ModelSettings.Target(r.requiredString("backend"), r.string("model", alias), 0, 1));
        }
        return targets.isEmpty() ? null : new ModelSettings(alias, targets, labels);
    }

    /** One entry of {@code models[].backends}: a backend, the model name it knows, its priority group and weight. */
    private static ModelSettings.Target target(ConfigReader t, String alias) {
        String backend = t.requiredString("backend");
        return new ModelSettings.Target(backend, t.string("model", alias), t.integer("priority", 0, 0, 100),
                t.integer("weight", 1, 1, 10_000));
    }

    private static EngineSettings engine(ConfigReader e) {
        List<EngineSettings.Model> models = e.list("models", m -> {
            String file = m.requiredString("file");
            String name = m.string("name", null);
            if (name != null && !NAME.matcher(name).matches()) m.problem("name", "must be letters, digits, . _ : / -");
            String alias = m.string("alias", name);
            String lora = m.string("lora", null);
            return new EngineSettings.Model(file.isEmpty() ? null : Path.of(file), name, alias,
                    lora == null ? null : Path.of(lora));
        });
        return new EngineSettings(models,
                e.integer("threads", Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())), 1, 256),
                e.integer("context", 4096, 128, 1_048_576),
                e.integer("parallel", 1, 1, 64),
                e.integer("queue", 8, 0, 10_000),
                e.integer("max-tokens", 4096, 1, 1_048_576),
                e.integer("heap-mb", 256, 64, 65_536),
                e.choice("isolation", Isolation.class, Isolation.REQUIRED) == Isolation.REQUIRED,
                e.bool("embeddings", false),
                e.duration("start-timeout", Duration.ofSeconds(120)),
                e.string("classpath", null),
                new EngineSettings.Lockdown(e.choice("lockdown", Lockdown.class, Lockdown.REQUIRED).name()
                        .toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                        e.size("memory-limit", 0, 0, 1L << 50), cpus(e), e.string("user", null)));
    }

    private enum Isolation { REQUIRED, OFF }

    private enum Lockdown { REQUIRED, BEST_EFFORT, OFF }

    private static double cpus(ConfigReader e) {
        String raw = e.string("cpus", null);
        if (raw == null) return 0;
        try {
            double v = Double.parseDouble(raw.trim());
            if (v >= 0.01 && v <= 1024) return v;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        e.problem("cpus", "must be a number of CPUs between 0.01 and 1024 (got '" + raw + "')");
        return 0;
    }

    // ---- access control: policy and identity ---------------------------------------------------------------

    private static PolicySettings policy(ConfigReader p) {
        Path file = path(p, "file");
        boolean watch = p.bool("watch", false);
        if (file == null) {
            if (watch) p.problem("watch", "needs policy.file (the shipped default policy cannot change)");
            return PolicySettings.BUILT_IN;
        }
        if (!Files.isRegularFile(file)) p.problem("file", "no such file: " + file);
        return new PolicySettings(file, watch);
    }

    private static IdentitySettings identity(ConfigReader id) {
        List<IdentitySettings.Issuer> issuers = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (IdentitySettings.Issuer i : id.list("issuers", ConfigLoader::issuer)) {
            if (i == null) continue;
            if (!names.add(i.jwt().issuer())) id.problem("issuers", "issuer '" + i.jwt().issuer() + "' is declared twice");
            issuers.add(i);
        }
        return new IdentitySettings(issuers);
    }

    private static IdentitySettings.Issuer issuer(ConfigReader r) {
        String issuer = r.requiredString("issuer");
        List<String> audiences = r.strings("audiences");
        if (audiences.isEmpty()) r.problem("audiences", "at least one audience is required");
        String url = r.string("jwks-url", null);
        Path file = path(r, "jwks-file");
        boolean discovery = r.bool("discovery", url == null && file == null);
        IdentitySettings.Jwks jwks = null;
        if ((url != null ? 1 : 0) + (file != null ? 1 : 0) + (discovery ? 1 : 0) != 1) {
            r.problem("jwks-url", "give exactly one of jwks-url, jwks-file and discovery: true");
        } else if (url != null) {
            try {
                URI uri = new URI(url);
                dev.bastion.identity.JwksSource.checkUrl(uri);
                jwks = new IdentitySettings.Jwks.Url(uri);
            } catch (URISyntaxException | IllegalArgumentException e) {
                r.problem("jwks-url", "must be an https:// URL (http:// only to loopback)");
            }
        } else if (file != null) {
            if (!Files.isRegularFile(file)) r.problem("jwks-file", "no such file: " + file);
            jwks = new IdentitySettings.Jwks.File(file);
        } else {
            try {
                dev.bastion.identity.JwksSource.checkUrl(new URI(issuer));
                jwks = new IdentitySettings.Jwks.Discovery();
            } catch (URISyntaxException | IllegalArgumentException e) {
                r.problem("issuer", "discovery needs an https:// issuer URL (http:// only to loopback)");
            }
        }
        List<String> algorithms = r.strings("algorithms");
        if (algorithms.isEmpty()) algorithms = List.copyOf(dev.bastion.identity.JwtConfig.SUPPORTED);
        if (!dev.bastion.identity.JwtConfig.SUPPORTED.containsAll(algorithms)) {
            r.problem("algorithms", "must be a subset of [RS256, ES256, EdDSA] (HMAC and 'none' are never accepted)");
        }
        Duration skew = r.duration("clock-skew", Duration.ofSeconds(60));
        if (skew.compareTo(Duration.ofMinutes(5)) > 0) r.problem("clock-skew", "must be at most 5m");
        Duration ttl = r.duration("jwks-ttl", Duration.ofMinutes(5));
        if (ttl.isZero()) r.problem("jwks-ttl", "must be positive");
        Duration minRefetch = r.duration("jwks-min-refetch", Duration.ofSeconds(30));
        Duration maxStale = r.duration("jwks-max-stale", Duration.ofHours(1));
        int cacheSize = r.integer("cache-size", 10_000, 0, 1_000_000);
        dev.bastion.identity.ClaimMapping claims = claims(r.section("claims"));
        if (jwks == null || issuer.isEmpty() || audiences.isEmpty() || claims == null) return null;
        try {
            return new IdentitySettings.Issuer(new dev.bastion.identity.JwtConfig(issuer, Set.copyOf(audiences),
                    Set.copyOf(algorithms), skew, ttl, minRefetch, maxStale, cacheSize, claims), jwks);
        } catch (IllegalArgumentException e) {
            r.problem("issuer", e.getMessage()); // every part was checked above; this names what is left
            return null;
        }
    }

    private static final Pattern ATTRIBUTE = Pattern.compile("[a-z_][a-z0-9_]{0,63}");

    /** Claim → principal mapping; null when something in it is invalid (already reported). */
    private static dev.bastion.identity.ClaimMapping claims(ConfigReader c) {
        int before = c.problemCount();
        String subject = c.string("subject", "sub");
        if (!dev.bastion.identity.ClaimMapping.validPath(subject)) c.problem("subject", "must be a claim path like sub");
        List<dev.bastion.identity.ClaimMapping.RoleSource> roles = c.keys().contains("roles")
                ? c.list("roles", ConfigLoader::roleSource)
                : dev.bastion.identity.ClaimMapping.defaults().roleSources();
        Map<String, String> attributes = new LinkedHashMap<>();
        ConfigReader a = c.section("attributes");
        for (String name : a.keys()) {
            String claim = a.string(name, "");
            if (!ATTRIBUTE.matcher(name).matches()) a.problem(name, "attribute names are lowercase identifiers");
            else if (!dev.bastion.identity.ClaimMapping.validPath(claim)) a.problem(name, "must be a claim path like org.department");
            else attributes.put(name, claim);
        }
        ConfigReader svc = c.section("service");
        String when = svc.string("when", null);
        List<String> serviceRoles = svc.strings("roles");
        if (when != null) {
            try {
                dev.bastion.identity.JwtVerifier.checkServiceRule(when);
            } catch (IllegalArgumentException e) {
                svc.problem("when", "is not a boolean CEL expression over 'claims'");
            }
        } else if (!serviceRoles.isEmpty()) {
            svc.problem("roles", "service roles need service.when (which tokens are service identities)");
        }
        if (c.problemCount() > before || roles.stream().anyMatch(java.util.Objects::isNull)) return null;
        return new dev.bastion.identity.ClaimMapping(subject, roles, attributes, when, Set.copyOf(serviceRoles));
    }

    private static dev.bastion.identity.ClaimMapping.RoleSource roleSource(ConfigReader r) {
        String claim = r.requiredString("claim");
        var format = r.choice("format", dev.bastion.identity.ClaimMapping.RoleSource.Format.class,
                dev.bastion.identity.ClaimMapping.RoleSource.Format.LIST);
        Map<String, String> rename = new LinkedHashMap<>();
        ConfigReader m = r.section("map");
        for (String value : m.keys()) rename.put(value, m.string(value, ""));
        boolean onlyMapped = r.bool("only-mapped", !rename.isEmpty());
        if (!claim.isEmpty() && !dev.bastion.identity.ClaimMapping.validPath(claim)) {
            r.problem("claim", "must be a claim path like realm_access.roles");
            return null;
        }
        if (onlyMapped && rename.isEmpty()) {
            r.problem("only-mapped", "needs map (the claim values to keep and the roles they become)");
            return null;
        }
        return claim.isEmpty() ? null : new dev.bastion.identity.ClaimMapping.RoleSource(claim, format, rename, onlyMapped);
    }

    private static void checkReferences(ConfigReader top, List<BackendSettings> backends, List<ModelSettings> models,
                                        EngineSettings engine) {
        Set<String> names = new HashSet<>();
        for (BackendSettings b : backends) {
            if (!names.add(b.name())) top.problem("backends", "backend name '" + b.name() + "' is declared twice");
        }
        Set<String> aliases = new HashSet<>();
        for (EngineSettings.Model m : engine.models()) {
            if (m.alias() != null && !aliases.add(m.alias())) {
                top.problem("engine", "model alias '" + m.alias() + "' is declared twice");
            }
        }
        for (ModelSettings m : models) {
            if (m == null) continue;
            if (!aliases.add(m.alias())) top.problem("models", "model alias '" + m.alias() + "' is declared twice");
            Set<String> seen = new HashSet<>();
            for (ModelSettings.Target t : m.targets()) {
                if (!t.backend().isEmpty() && !names.contains(t.backend())) {
                    top.problem("models", "model alias '" + m.alias() + "' names unknown backend '" + t.backend() + "'");
                }
                if (!seen.add(t.backend())) {
                    top.problem("models", "model alias '" + m.alias() + "' names backend '" + t.backend() + "' twice");
                }
            }
        }
    }

    /** Plain HTTP only on loopback: anything else would send keys and prompts across a network in clear. */
    private static void checkBind(ConfigReader s, String host, TlsSettings tls) {
        if (!tls.enabled() && !isLoopback(host)) {
            s.problem("host", "binding to '" + host + "' needs TLS: plain HTTP is only allowed on loopback "
                    + "(127.0.0.1, ::1, localhost); set server.tls.mode (files, pkcs12 or generated) or bind to loopback");
        }
    }

    /**
     * {@code insecure-file} keeps the root key in a file beside the data: whoever copies the data directory has
     * everything. Acceptable for a workstation that serves only itself, so it is refused on any other bind.
     */
    private static void checkKeyProvider(ConfigReader b, String provider, String host) {
        if ("insecure-file".equals(provider) && !isLoopback(host)) {
            b.problem("provider", "'insecure-file' (the default) keeps the root key beside the data and is allowed "
                    + "only while the server listens on loopback; this server binds '" + host
                    + "': set barrier.provider to passphrase or pkcs11");
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
