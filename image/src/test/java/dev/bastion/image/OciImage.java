package dev.bastion.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * An OCI image layout tarball (what {@code jib:buildTar} writes with format OCI) read without any container tool:
 * index → manifest → config and layers, each blob checked against its digest.
 */
record OciImage(JsonNode manifest, JsonNode config, List<byte[]> layers) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static OciImage read(Path tar) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(tar)) {
            for (TarEntries.Entry e : TarEntries.read(in)) {
                if (e.type() == TarEntries.Type.FILE) files.put(e.path(), e.content());
            }
        }
        JsonNode index = JSON.readTree(need(files, "index.json"));
        if (!"1.0.0".equals(JSON.readTree(need(files, "oci-layout")).path("imageLayoutVersion").asText())) {
            throw new IOException("not an OCI image layout");
        }
        JsonNode manifest = JSON.readTree(blob(files, index.path("manifests").path(0)));
        JsonNode config = JSON.readTree(blob(files, manifest.path("config")));
        List<byte[]> layers = new ArrayList<>();
        for (JsonNode l : manifest.path("layers")) layers.add(blob(files, l));
        return new OciImage(manifest, config, layers);
    }

    /** Sum of the compressed layer sizes: what a registry stores and a node pulls. */
    long compressedSize() {
        long n = 0;
        for (byte[] l : layers) n += l.length;
        return n;
    }

    /** Every entry of every layer, in order. */
    List<TarEntries.Entry> entries() throws IOException {
        List<TarEntries.Entry> all = new ArrayList<>();
        for (byte[] l : layers) {
            try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(l))) {
                all.addAll(TarEntries.read(in));
            }
        }
        return all;
    }

    /** Writes the layers one over the other into {@code root} (Jib writes no whiteouts and no links). */
    long unpack(Path root) throws IOException {
        long bytes = 0;
        for (TarEntries.Entry e : entries()) {
            Path p = root.resolve(e.path()).normalize();
            if (!p.startsWith(root)) throw new IOException("layer entry escapes the root: " + e.path());
            switch (e.type()) {
                case DIRECTORY -> Files.createDirectories(p);
                case FILE -> {
                    Files.createDirectories(p.getParent());
                    Files.write(p, e.content());
                    bytes += e.content().length;
                }
                case OTHER -> throw new IOException("unexpected entry type in layer: " + e.path());
            }
            Files.setPosixFilePermissions(p, permissions(e.mode()));
        }
        return bytes;
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = PosixFilePermission.values(); // OWNER_READ … OTHERS_EXECUTE, high bit first
        for (int i = 0; i < 9; i++) if ((mode & (1 << (8 - i))) != 0) set.add(order[i]);
        return set;
    }

    private static byte[] blob(Map<String, byte[]> files, JsonNode descriptor) throws IOException {
        String digest = descriptor.path("digest").asText();
        if (!digest.startsWith("sha256:")) throw new IOException("unsupported digest " + digest);
        byte[] b = need(files, "blobs/sha256/" + digest.substring(7));
        if (!sha256(b).equals(digest.substring(7))) throw new IOException("blob does not match its digest " + digest);
        if (descriptor.path("size").asLong() != b.length) throw new IOException("blob size differs " + digest);
        return b;
    }

    private static byte[] need(Map<String, byte[]> files, String name) throws IOException {
        byte[] b = files.get(name);
        if (b == null) throw new IOException("missing " + name);
        return b;
    }

    static String sha256(byte[] b) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
