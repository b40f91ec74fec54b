package dev.bastion.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code bastion docs …}: documents of a collection on a running server. {@code add} uploads files (txt, md, html,
 * pdf; directories are walked) one by one with a progress bar over their bytes; the server extracts, inspects,
 * pseudonymises or refuses, chunks, embeds and indexes them. Adding and deleting need {@code documents.manage};
 * {@code search} needs {@code documents.retrieve} (and the collection's own rule).
 */
@Command(name = "docs", description = "Add, list, delete and search documents of a collection.",
        subcommands = {DocsCommand.Add.class, DocsCommand.ListAll.class, DocsCommand.Delete.class, DocsCommand.Search.class})
final class DocsCommand {
    static final Set<String> FORMATS = Set.of("txt", "md", "markdown", "html", "htm", "pdf");

    @Command(name = "add", description = "Upload files (txt, md, html, pdf; directories are walked) into a collection.")
    static final class Add extends ModelsCommand.Call {
        @Parameters(index = "0", paramLabel = "COLLECTION") String collection;
        @Parameters(index = "1..*", arity = "1..*", paramLabel = "PATH") List<Path> paths;
        @Option(names = "--classification", description = "the documents' classification (default: the collection's)")
        String classification;
        @Option(names = "--acl-role", paramLabel = "ROLE", description = "only these roles may retrieve them (repeat)")
        List<String> aclRoles;
        @Option(names = "--acl-principal", paramLabel = "ID", description = "only these principals may retrieve them (repeat)")
        List<String> aclPrincipals;
        @Option(names = "--subject", paramLabel = "ID", description = "a data subject the documents concern (repeat; erasure finds them)")
        List<String> subjects;
        @Option(names = "--no-embed", description = "keyword search only for these documents") boolean noEmbed;
        @Option(names = "--progress", defaultValue = "auto",
                description = "progress bar: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
        ModelsCommand.ProgressMode progress;

        @Override
        public Integer call() throws Exception {
            List<Path> files = files(paths);
            if (files.isEmpty()) {
                err().println("bastion: no txt, md, html or pdf files under the given paths");
                return 1;
            }
            long total = 0;
            for (Path f : files) total += Files.size(f);
            ProgressBar bar = new ProgressBar(err(), progress, 1, "ingesting");
            long done = 0;
            int added = 0, duplicates = 0, failed = 0;
            bar.update(0, total);
            for (Path f : files) {
                HttpResponse<String> r = upload(body(f));
                done += Files.size(f);
                if (r.statusCode() >= 300) {
                    bar.abandon();
                    err().println(f + ": " + r.body());
                    failed++;
                } else {
                    JsonNode d = ModelsCommand.JSON.readTree(r.body());
                    if (d.path("duplicate").asBoolean()) duplicates++;
                    else added++;
                    out().printf(Locale.ROOT, "%s %s %s: %d pages, %d chunks, personal data %s%s%n",
                            d.path("duplicate").asBoolean() ? "=" : "+", d.path("id").asText(), f.getFileName(),
                            d.path("pages").asInt(), d.path("chunks").asInt(), d.path("personal_data").asText(),
                            d.path("findings").isEmpty() ? "" : " " + d.path("findings"));
                    out().flush();
                }
                bar.update(done, total);
            }
            out().printf("%d added, %d already there, %d failed%n", added, duplicates, failed);
            out().flush();
            return failed == 0 ? 0 : 1;
        }

        /**
         * One upload, sent again once if the server closed the kept-alive connection before answering (it closes
         * connections idle past its read timeout, and a long ingestion can end just as that check runs). Safe to
         * repeat: the same bytes in the same collection are the same document (a second upload answers "duplicate").
         */
        private HttpResponse<String> upload(Map<String, Object> body) throws Exception {
            String path = CollectionsCommand.BASE + "/" + collection + "/documents";
            try {
                return call("POST", path, body);
            } catch (java.net.http.HttpTimeoutException slow) {
                throw slow;
            } catch (IOException closed) {
                return call("POST", path, body);
            }
        }

        private Map<String, Object> body(Path f) throws IOException {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("source", f.getFileName().toString());
            b.put("content_base64", Base64.getEncoder().encodeToString(Files.readAllBytes(f)));
            if (classification != null) b.put("classification", classification);
            if (aclRoles != null || aclPrincipals != null) {
                Map<String, Object> acl = new LinkedHashMap<>();
                if (aclRoles != null) acl.put("roles", aclRoles);
                if (aclPrincipals != null) acl.put("principals", aclPrincipals);
                b.put("acl", acl);
            }
            if (subjects != null) b.put("subjects", subjects);
            if (noEmbed) b.put("embed", false);
            return b;
        }
    }

    /** Regular files with a known extension, directories walked, in a stable order. */
    static List<Path> files(List<Path> paths) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    walk.filter(Files::isRegularFile).filter(DocsCommand::known).sorted().forEach(out::add);
                }
            } else if (Files.isRegularFile(p)) {
                out.add(p);
            } else {
                throw new IllegalArgumentException(p + " is not a file or directory");
            }
        }
        return out;
    }

    private static boolean known(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = n.lastIndexOf('.');
        return dot > 0 && FORMATS.contains(n.substring(dot + 1));
    }

    @Command(name = "list", description = "List a collection's documents (metadata only).")
    static final class ListAll extends ModelsCommand.Call {
        @Parameters(paramLabel = "COLLECTION") String collection;

        @Override
        public Integer call() throws Exception {
            HttpResponse<String> r = call("GET", CollectionsCommand.BASE + "/" + collection + "/documents", null);
            if (r.statusCode() >= 300) return print(r);
            out().printf("%-26s %-15s %5s %6s %-13s %s%n", "ID", "CLASSIFICATION", "PAGES", "CHUNKS", "PERSONAL DATA", "SOURCE");
            for (JsonNode d : ModelsCommand.JSON.readTree(r.body()).path("documents")) {
                out().printf(Locale.ROOT, "%-26s %-15s %5d %6d %-13s %s%n", d.path("id").asText(),
                        d.path("classification").asText(), d.path("pages").asInt(), d.path("chunks").asInt(),
                        d.path("personal_data").asText(), d.path("source").asText());
            }
            out().flush();
            return 0;
        }
    }

    @Command(name = "delete", description = "Delete a document: from results at once, from the index files soon after.")
    static final class Delete extends ModelsCommand.Call {
        @Parameters(index = "0", paramLabel = "COLLECTION") String collection;
        @Parameters(index = "1", paramLabel = "ID") String id;

        @Override
        public Integer call() throws Exception {
            return print(call("DELETE", CollectionsCommand.BASE + "/" + collection + "/documents/" + id, null));
        }
    }

    @Command(name = "search", description = "Retrieve passages as the calling key may (for trying collections out).")
    static final class Search extends ModelsCommand.Call {
        @Parameters(index = "0", paramLabel = "QUERY") String query;
        @Option(names = "--collection", required = true, paramLabel = "NAME", description = "repeat for several")
        List<String> collections;
        @Option(names = "--top-k", defaultValue = "5") int topK;

        @Override
        public Integer call() throws Exception {
            HttpResponse<String> r = call("POST", "/bastion/v1/retrieve",
                    Map.of("query", query, "collections", collections, "top_k", topK));
            if (r.statusCode() >= 300) return print(r);
            JsonNode body = ModelsCommand.JSON.readTree(r.body());
            for (JsonNode p : body.path("passages")) {
                out().printf(Locale.ROOT, "[%d] %s/%s %s%s (%.4f)%n%s%n%n", p.path("n").asInt(),
                        p.path("collection").asText(), p.path("source").asText(),
                        p.path("heading").asText(""), p.has("page") ? " p." + p.path("page").asInt() : "",
                        p.path("score").asDouble(), p.path("text").asText());
            }
            if (!body.path("unavailable").isEmpty()) err().println("not searched: " + body.path("unavailable"));
            out().flush();
            return 0;
        }
    }
}
