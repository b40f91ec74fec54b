package dev.bastion.attest;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.bastion.tls.LocalCa;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/**
 * A TLS backend for attestation tests: serves its evidence document at {@code /attestation?nonce=} over HTTPS with
 * its own key. What the evidence is bound to is up to the test: its own TLS key (an honest confidential backend),
 * another one's (a substituted machine replaying valid evidence), or a fixed nonce (replay).
 */
public final class AttestedTestBackend implements AutoCloseable {
    public static final LocalCa CA = LocalCa.generate("attestation test CA", Instant.parse("2020-01-01T00:00:00Z"),
            Instant.parse("2099-01-01T00:00:00Z"));

    final LocalCa.Issued identity;
    private final HttpsServer server;
    public volatile Function<byte[], byte[]> evidence;

    public AttestedTestBackend(Function<byte[], byte[]> evidence) throws Exception {
        this.identity = CA.issue(LocalCa.Profile.SERVER, "backend", List.of("localhost", "127.0.0.1"),
                Instant.parse("2020-01-01T00:00:00Z"), Instant.parse("2099-01-01T00:00:00Z"));
        this.evidence = evidence;
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext()));
        // a thread per exchange: a data connection that sends nothing must not hold up the evidence endpoint
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/attestation", ex -> {
            String q = ex.getRequestURI().getRawQuery();
            byte[] body;
            int status = 200;
            try {
                byte[] nonce = HexFormat.of().parseHex(q.substring(q.indexOf("nonce=") + 6));
                body = this.evidence.apply(nonce);
                if (body == null) {
                    status = 500;
                    body = new byte[0];
                }
            } catch (RuntimeException e) {
                status = 400;
                body = new byte[0];
            }
            ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) ex.getResponseBody().write(body);
            ex.close();
        });
        server.createContext("/v1", ex -> {   // a minimal OpenAI-compatible model behind the same TLS key
            ex.getRequestBody().readAllBytes();
            byte[] body = ("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"llama\","
                    + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"attested hello\"},"
                    + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,"
                    + "\"total_tokens\":5}}").getBytes(StandardCharsets.UTF_8);
            if (ex.getRequestURI().getPath().endsWith("/chat/completions")) chats.incrementAndGet();
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
    }

    /** Chat completions this backend answered (so a test can prove a request never reached it). */
    public final java.util.concurrent.atomic.AtomicInteger chats = new java.util.concurrent.atomic.AtomicInteger();

    /** The test CA as a PEM file, for a gateway's {@code tls.ca}. */
    public static java.nio.file.Path caFile(java.nio.file.Path dir) throws java.io.IOException {
        java.nio.file.Path f = dir.resolve("attestation-test-ca.pem");
        java.nio.file.Files.writeString(f, SnpTestAuthority.pem(CA.certificate()));
        return f;
    }

    /** An honest SEV-SNP backend: reports signed by {@code amd}, REPORT_DATA bound to the nonce and its own key. */
    public static Function<byte[], byte[]> snpBoundTo(SnpTestAuthority amd, X509Certificate tlsCert, long policy) {
        byte[] spki = TlsKeyBinding.spkiSha256(tlsCert);
        return nonce -> snpDocument(amd, amd.report(TlsKeyBinding.reportData(nonce, spki), new byte[48], policy,
                SnpTestAuthority.TCB));
    }

    /**
     * An honest TDX backend: quotes from the stand-in Intel, REPORT_DATA bound to the nonce and its own key, served
     * with collateral current at the time of the fetch.
     */
    public static Function<byte[], byte[]> tdxBoundTo(TdxTestAuthority intel, X509Certificate tlsCert) {
        byte[] spki = TlsKeyBinding.spkiSha256(tlsCert);
        return nonce -> {
            Instant now = Instant.now();
            return tdxDocument(intel.quote(TdxTestAuthority.Td.of(TlsKeyBinding.reportData(nonce, spki))),
                    intel.collateral("UpToDate", now.minus(java.time.Duration.ofDays(1)),
                            now.plus(java.time.Duration.ofDays(30))));
        };
    }

    /** The stand-in Intel's root, PEM: a gateway's {@code insecure-test-roots}. */
    public static String rootsPem(TdxTestAuthority intel) {
        return SnpTestAuthority.pem(intel.roots().getFirst());
    }

    static byte[] tdxDocument(byte[] quote, TdxCollateral c) {
        Base64.Encoder b64 = Base64.getEncoder();
        return ("{\"type\":\"tdx\",\"quote\":\"" + b64.encodeToString(quote) + "\",\"collateral\":{\"tcb_info\":\""
                + b64.encodeToString(c.tcbInfo()) + "\",\"tcb_info_issuer_chain\":" + jsonString(c.tcbInfoIssuerChain())
                + ",\"qe_identity\":\"" + b64.encodeToString(c.qeIdentity()) + "\",\"qe_identity_issuer_chain\":"
                + jsonString(c.qeIdentityIssuerChain()) + ",\"pck_crl\":\"" + b64.encodeToString(c.pckCrl())
                + "\",\"root_crl\":\"" + b64.encodeToString(c.rootCrl()) + "\"}}").getBytes(StandardCharsets.UTF_8);
    }

    private static String jsonString(byte[] text) {
        return com.fasterxml.jackson.databind.node.TextNode.valueOf(new String(text, StandardCharsets.US_ASCII)).toString();
    }

    static byte[] snpDocument(SnpTestAuthority amd, byte[] report) {
        return ("{\"type\":\"sev-snp\",\"report\":\"" + Base64.getEncoder().encodeToString(report) + "\",\"vcek\":\""
                + Base64.getEncoder().encodeToString(amd.vcekDer()) + "\",\"chain\":"
                + com.fasterxml.jackson.databind.node.TextNode.valueOf(new String(amd.chainPem(), StandardCharsets.US_ASCII))
                + "}").getBytes(StandardCharsets.UTF_8);
    }

    public X509Certificate certificate() { return identity.certificate(); }

    /** How Bastion fetches this backend's evidence: through an egress gate that declares it, trusting the test CA. */
    public EvidenceSource evidenceSource() throws Exception {
        var gate = dev.bastion.egress.EgressGate.declaredOnly();
        gate.declare(dev.bastion.egress.Destination.of("attestation:test", evidenceUrl()));
        java.nio.file.Path ca = java.nio.file.Files.createTempFile("attest-ca", ".pem");
        ca.toFile().deleteOnExit();
        java.nio.file.Files.writeString(ca, SnpTestAuthority.pem(CA.certificate()));
        var tls = dev.bastion.tls.UpstreamTls.create(new dev.bastion.tls.UpstreamTls.Config(ca, List.of(), null, false));
        return EvidenceSource.through(new dev.bastion.egress.EgressHttp(gate), "attestation:test", tls::wrap,
                java.time.Duration.ofSeconds(10));
    }

    public URI evidenceUrl() { return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/attestation"); }

    public int port() { return server.getAddress().getPort(); }

    /** A fresh TLS connection to this backend (a new session each time); the caller closes it. */
    public SSLSocket connect() throws Exception {
        SSLContext ctx = clientContext();
        ctx.getClientSessionContext().setSessionCacheSize(1);
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port());
        s.startHandshake();
        return s;
    }

    public static SSLSession session(SSLSocket s) { return s.getSession(); }

    /** Trusts the test CA: what Bastion's upstream TLS would be configured with. */
    public static SSLContext clientContext() throws Exception {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("ca", CA.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        SSLContext ctx = SSLContext.getInstance("TLSv1.3");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    private SSLContext serverContext() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("k", identity.key(), new char[0], identity.chain().toArray(new X509Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        SSLContext ctx = SSLContext.getInstance("TLSv1.3");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    @Override
    public void close() { server.stop(0); }
}
