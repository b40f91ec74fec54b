package dev.bastion.cli;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The commented {@code bastion.yaml} that {@code bastion init} writes. {@code alias} is the model name the examples
 * use ({@code chat}, the first model found), or null when no model was found.
 */
record InitYaml(String text, String alias) {

    static InitYaml of(List<LocalModelServers.Found> found, int port, String dataDir) {
        StringBuilder y = new StringBuilder("""
                # Written by `bastion init`. Every key is described in docs/configuration.md; any scalar can be
                # overridden from the environment (server.port -> BASTION_SERVER_PORT).

                server:
                  host: 127.0.0.1          # loopback only: plain HTTP is refused on any other address (TLS: server.tls)
                  port: %d

                data-dir: %s               # SQLite database, the root key file of the workstation key provider, TLS files

                """.formatted(port, quoted(dataDir)));
        StringBuilder models = new StringBuilder();
        String first = null;
        Set<String> aliases = new HashSet<>();
        if (found.isEmpty()) {
            y.append("""
                    # No model server answered on this machine's usual ports. Declare yours, e.g.:
                    # backends:
                    #   - name: vllm
                    #     type: openai             # any OpenAI-compatible server; `ollama` for Ollama's native API
                    #     url: http://127.0.0.1:8000/v1
                    #     max-classification: internal
                    # models:
                    #   - alias: chat
                    #     backend: vllm
                    #     model: meta-llama/Llama-3.1-8B-Instruct
                    """);
        } else {
            y.append("""
                    # The model servers found on loopback. max-classification is the most sensitive data a backend may
                    # receive: under the shipped policy a backend that declares none receives nothing. `internal` covers
                    # requests that declare no classification; raise it to `confidential` for a server you trust with
                    # personal data (developers then also declare a purpose: docs/policy.md).
                    backends:
                    """);
            for (LocalModelServers.Found f : found) {
                String backend = f.type() == LocalModelServers.Type.ollama ? "ollama" : "local-" + f.port();
                y.append("  - name: ").append(backend).append('\n')
                        .append("    type: ").append(f.type()).append(f.type() == LocalModelServers.Type.openai
                                ? "             # OpenAI-compatible: requests are passed through\n"
                                : "             # Ollama's native API, translated\n")
                        .append("    url: ").append(f.url()).append('\n')
                        .append("    max-classification: internal\n");
                if (f.models().isEmpty()) {
                    models.append("  # ").append(backend).append(" lists no models yet: add `- {alias: NAME, backend: ")
                            .append(backend).append(", model: ITS-NAME}` once it has one\n");
                }
                for (String model : f.models()) {
                    String alias = first == null ? "chat" : aliasOf(model);
                    if (!aliases.add(alias)) continue;
                    if (first == null) first = alias;
                    models.append("  - alias: ").append(alias).append('\n')
                            .append("    backend: ").append(backend).append('\n')
                            .append("    model: ").append(quoted(model)).append('\n');
                }
            }
            y.append("\n# What clients put in \"model\", and which backend's model it means.\n")
                    .append(first == null ? "models: []\n" : "models:\n").append(models);
        }
        y.append("""

                # The model registry: in production no model answers until model stewards have registered, evaluated,
                # documented and approved it (docs/governance.md). This lets the models above answer on this
                # workstation now; remove it (and register the models) before anyone else relies on this server.
                governance:
                  insecure-serve-unregistered: true
                """);
        return new InitYaml(y.toString(), first);
    }

    /** A model name as an alias: the characters an alias may hold, the rest as '-'. */
    static String aliasOf(String model) {
        String a = model.replaceAll("[^A-Za-z0-9._:/-]", "-").replaceAll("^[^A-Za-z0-9]+", "");
        if (a.isEmpty()) a = "model";
        return a.length() > 128 ? a.substring(0, 128) : a;
    }

    private static String quoted(String s) {
        return s.matches("[A-Za-z0-9._/:-]+") && !s.contains(": ") ? s : "'" + s.replace("'", "''") + "'";
    }
}
