package dev.bastion.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A kustomization rendered by {@code kubectl kustomize} (Debian's kubernetes-client, or any newer kubectl) and every
 * object parsed against the fabric8 Kubernetes model, strictly: a kind without a model class, or any field the model
 * does not know (fabric8 keeps those in {@code additionalProperties} instead of failing), is an error.
 */
record RenderedManifests(List<HasMetadata> objects, List<JsonNode> raw) {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final KubernetesSerialization MODEL = new KubernetesSerialization();

    static RenderedManifests render(Path kustomization) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(kubectl(), "kustomize", kustomization.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("kubectl kustomize " + kustomization + " failed with " + p.exitValue());
        }
        List<HasMetadata> objects = new ArrayList<>();
        List<JsonNode> raw = new ArrayList<>();
        try (var docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(out)) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc == null || doc.isNull() || doc.isEmpty()) continue;
                Object parsed = MODEL.unmarshal(doc.toString());
                String what = doc.path("kind").asText() + "/" + doc.path("metadata").path("name").asText();
                if (!(parsed instanceof HasMetadata h) || parsed instanceof GenericKubernetesResource) {
                    throw new IOException(what + ": no model for " + doc.path("apiVersion").asText());
                }
                List<String> unknown = new ArrayList<>();
                unknownFields(parsed, what, unknown, new IdentityHashMap<>());
                if (!unknown.isEmpty()) throw new IOException("fields the API does not define: " + unknown);
                objects.add(h);
                raw.add(doc);
            }
        }
        return new RenderedManifests(objects, raw);
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type, String name) {
        return all(type).stream().filter(o -> o.getMetadata().getName().startsWith(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    /** Walks the parsed object graph; every model object's additionalProperties must be empty. */
    private static void unknownFields(Object o, String path, List<String> out, Map<Object, Boolean> seen) {
        if (o == null || seen.put(o, true) != null) return;
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object x : c) unknownFields(x, path + "[" + i++ + "]", out, seen);
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> unknownFields(v, path + "." + k, out, seen));
            return;
        }
        if (!o.getClass().getPackageName().startsWith("io.fabric8")) return;
        for (Method g : o.getClass().getMethods()) {
            if (g.getParameterCount() != 0 || Modifier.isStatic(g.getModifiers()) || !g.getName().startsWith("get")
                    || g.getDeclaringClass() == Object.class) continue;
            Object v;
            try {
                v = g.invoke(o);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            if (g.getName().equals("getAdditionalProperties")) {
                if (v instanceof Map<?, ?> m && !m.isEmpty()) out.add(path + ": " + m.keySet());
            } else {
                unknownFields(v, path + "." + g.getName().substring(3), out, seen);
            }
        }
    }

    static String kubectl() {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/usr/local/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "kubectl"))) return Path.of(dir, "kubectl").toString();
        }
        throw new AssertionError("kubectl is not installed (Debian: apt-get install kubernetes-client)");
    }
}
