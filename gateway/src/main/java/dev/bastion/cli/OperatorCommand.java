package dev.bastion.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.barrier.Passphrase;
import dev.bastion.config.BastionConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code bastion operator init|unseal|seal|status|rotate|rewrap}: the barrier's life cycle on a running server,
 * over its API. The server address comes from the configuration; a generated local CA in the data directory is
 * trusted automatically.
 */
@Command(name = "operator", mixinStandardHelpOptions = true, description = "Seal, unseal and rotate the storage barrier.",
        subcommands = {OperatorCommand.Status.class, OperatorCommand.Init.class, OperatorCommand.Unseal.class,
                OperatorCommand.Seal.class, OperatorCommand.Rotate.class, OperatorCommand.Rewrap.class})
final class OperatorCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Options every operator subcommand shares. */
    static final class Target {
        @Mixin ConfigSource config;
        @Option(names = "--url", description = "server base URL (default: from the configuration)") URI url;
        @Option(names = "--ca", description = "PEM CA to trust for https (default: the generated local CA)") Path ca;
        @Option(names = "--key-env", defaultValue = "BASTION_KEY",
                description = "environment variable holding an admin API key (default: ${DEFAULT-VALUE})") String keyEnv;
        @Option(names = "--key-file", description = "read the API key from this file instead") Path keyFile;
        private HttpClient client;
        private URI base;

        HttpResponse<String> call(String method, String path, Object body, boolean withKey) throws Exception {
            return call(method, path, body, withKey, Map.of());
        }

        /** One call to the server, reusing one client; {@code headers} are sent as given. */
        synchronized HttpClient client() throws Exception {
            if (client == null) {
                BastionConfig cfg = config.load();
                base = url != null ? url : URI.create(cfg.server().scheme() + "://" + host(cfg) + ":" + cfg.server().port());
                HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
                Path trust = ca != null ? ca : cfg.dataDir().resolve("tls").resolve("ca.pem");
                if ("https".equals(base.getScheme()) && Files.isRegularFile(trust)) b.sslContext(trusting(trust));
                client = b.build();
            }
            return client;
        }

        HttpResponse<String> call(String method, String path, Object body, boolean withKey, Map<String, String> headers)
                throws Exception {
            HttpClient http = client();
            HttpRequest.Builder req = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofMinutes(2))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                    .header("Content-Type", "application/json");
            headers.forEach(req::header);
            if (withKey) req.header("Authorization", "Bearer " + key());
            return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
        }

        /** A call with a body of another type (a CSV or JSON-lines import). */
        HttpResponse<String> callRaw(String method, String path, byte[] body, String contentType) throws Exception {
            HttpClient http = client();
            HttpRequest.Builder req = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofMinutes(2))
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", contentType)
                    .header("Authorization", "Bearer " + key());
            return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
        }

        private String key() throws java.io.IOException {
            String key = keyFile != null ? Files.readString(keyFile).strip() : System.getenv(keyEnv);
            if (key == null || key.isBlank()) throw new IllegalStateException("set " + keyEnv + " to an API key (or --key-file)");
            return key;
        }

        /** Prints a response body (to stderr when it is an error) and returns the exit code. */
        static int print(CommandSpec spec, HttpResponse<String> r) {
            (r.statusCode() < 300 ? spec.commandLine().getOut() : spec.commandLine().getErr()).println(r.body());
            return r.statusCode() < 300 ? 0 : 1;
        }

        private static String host(BastionConfig cfg) {
            String h = cfg.server().host();
            return h.equals("0.0.0.0") || h.equals("::") ? "127.0.0.1" : h.contains(":") ? "[" + h + "]" : h;
        }

        static SSLContext trusting(Path pem) throws Exception {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            try (InputStream in = Files.newInputStream(pem)) {
                int i = 0;
                for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    ks.setCertificateEntry("ca" + i++, cert);
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        }
    }

    abstract static class Base implements Callable<Integer> {
        @Mixin Target target;
        @Spec CommandSpec spec;

        int print(HttpResponse<String> r) { return Target.print(spec, r); }

        @Option(names = "--passphrase-file", description = "read the passphrase from this file (default: "
                + "$BASTION_PASSPHRASE, else the terminal)")
        Path passphraseFile;

        Map<String, String> passphraseBody() {
            try (Passphrase p = passphraseFile != null ? Passphrase.fromFile(passphraseFile) : OfflineBarrier.passphrase()) {
                return Map.of("passphrase", new String(p.chars()));
            }
        }
    }

    @Command(name = "status", description = "Show whether the barrier is sealed, its provider and key ids.")
    static final class Status extends Base {
        @Override
        public Integer call() throws Exception { return print(target.call("GET", "/bastion/v1/operator/status", null, false)); }
    }

    @Command(name = "init", description = "Create the root key under a passphrase (first start, from the server's host).")
    static final class Init extends Base {
        @Option(names = "--init-token-file", description = "the server's one-time init token (default: "
                + "init-token in the configured data directory)")
        Path tokenFile;

        @Override
        public Integer call() throws Exception {
            Path file = tokenFile != null ? tokenFile
                    : target.config.load().dataDir().resolve(dev.bastion.api.InitToken.FILE_NAME);
            String token;
            try {
                token = Files.readString(file, java.nio.charset.StandardCharsets.US_ASCII).strip();
            } catch (java.io.IOException e) {
                spec.commandLine().getErr().println("cannot read the init token " + file + " (run this on the server's "
                        + "host as the account that runs Bastion, or pass --init-token-file): " + e.getClass().getSimpleName());
                return 1;
            }
            Map<String, String> body = new java.util.HashMap<>(passphraseBody());
            body.put("init_token", token);
            return print(target.call("POST", "/bastion/v1/operator/init", body, false));
        }
    }

    @Command(name = "unseal", description = "Open the barrier with its passphrase.")
    static final class Unseal extends Base {
        @Override
        public Integer call() throws Exception {
            return print(target.call("POST", "/bastion/v1/operator/unseal", passphraseBody(), false));
        }
    }

    @Command(name = "seal", description = "Close the barrier now (needs an admin key in $BASTION_KEY).")
    static final class Seal extends Base {
        @Override
        public Integer call() throws Exception { return print(target.call("POST", "/bastion/v1/operator/seal", null, true)); }
    }

    @Command(name = "rotate", description = "Add a new data key; new data uses it, old data stays readable.")
    static final class Rotate extends Base {
        @Override
        public Integer call() throws Exception { return print(target.call("POST", "/bastion/v1/operator/rotate", null, true)); }
    }

    @Command(name = "rewrap", description = "Move stored keys and secrets to the newest data key.")
    static final class Rewrap extends Base {
        @Override
        public Integer call() throws Exception { return print(target.call("POST", "/bastion/v1/operator/rewrap", null, true)); }
    }
}
