package dev.bastion.cli;

import dev.bastion.config.BastionConfig;
import dev.bastion.governance.ArtifactFetcher;
import dev.bastion.egress.EgressGate;
import dev.bastion.egress.EgressHttp;
import dev.bastion.egress.Resolver;
import dev.bastion.governance.EgressArtifactTransport;
import dev.bastion.tls.UpstreamTls;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bastion models pull URL --sha256 HEX}: downloads a model file over HTTPS from a host in
 * {@code governance.pull-hosts} through an egress gate built from the configuration's {@code egress} section (resuming
 * a partial download, with progress), verifies its SHA-256, and — with
 * {@code --register} — registers it as a draft entry whose source URL is the pulled URL.
 */
@Command(name = "pull", mixinStandardHelpOptions = true, description = "Download a model over HTTPS, verify it, register it.")
final class PullCommand extends ModelsCommand.Call {
    @Parameters(paramLabel = "URL", description = "https URL, e.g. https://huggingface.co/ORG/REPO/resolve/REV/FILE.gguf")
    URI url;
    @Option(names = "--sha256", required = true, description = "the digest the file must have") String sha256;
    @Option(names = "--dir", description = "where to put it (default: the first governance.model-dirs)") Path dir;
    @Option(names = "--name", description = "registry name (default: from the file name)") String name;
    @Option(names = "--register", description = "register the verified file as a draft entry") boolean register;
    @Option(names = "--pull-ca", description = "PEM CA to trust for the download (default: the JDK's trust store)")
    Path pullCa;
    @Option(names = "--progress", defaultValue = "auto",
            description = "progress bar: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    ModelsCommand.ProgressMode progress;

    @Override
    public Integer call() throws Exception {
        BastionConfig cfg = target.config.load();
        Path into = dir != null ? dir : cfg.governance().modelDirs().getFirst();
        // the same egress rules as the server's (egress.mode, egress.allow); each pull hop is declared as models:pull
        EgressGate gate = new EgressGate(cfg.egress().mode(), cfg.egress().allow(), Resolver.SYSTEM);
        var tls = pullCa == null ? null : UpstreamTls.create(new UpstreamTls.Config(pullCa, java.util.List.of(), null, false));
        var fetcher = new ArtifactFetcher(new EgressArtifactTransport(new EgressHttp(gate), tls == null ? null : tls::wrap),
                cfg.governance().pullHosts());
        ProgressBar bar = new ProgressBar(err(), progress, ModelsCommand.PROGRESS_THRESHOLD, "pulling");
        Path file;
        try {
            file = fetcher.pull(url, sha256.toLowerCase(Locale.ROOT), into.resolve(ArtifactFetcher.fileName(url)),
                    bar::update);
        } catch (ArtifactFetcher.PullException e) {
            bar.abandon();
            err().println("pull failed: " + e.getMessage());
            err().flush();
            return 1;
        }
        out().printf("pulled %s (sha256 %s)%n", file, sha256.toLowerCase(Locale.ROOT));
        out().flush();
        if (!register) return 0;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("source", "local");
        body.put("path", file.toAbsolutePath().toString());
        body.put("sha256", sha256.toLowerCase(Locale.ROOT));
        body.put("source_url", url.toString());
        if (name != null) body.put("name", name);
        return entryLine(call("POST", ModelsCommand.BASE, body), "registered");
    }
}
