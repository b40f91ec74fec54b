package dev.bastion.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The engine worker's classpath as an unprivileged worker user can read it. A gateway running as root runs the
 * worker as {@code nobody}, which cannot read jars under root's Maven repository: those are copied (once per test
 * JVM) to a world-readable directory, as an installation would place them.
 */
public final class WorkerInstall {
    private static String classpath;

    private WorkerInstall() {}

    public static synchronized String readableClasspath() {
        if (classpath != null) return classpath;
        try {
            Path lib = Files.createTempDirectory("bastion-worker-lib");
            Files.setPosixFilePermissions(lib, PosixFilePermissions.fromString("rwxr-xr-x"));
            lib.toFile().deleteOnExit();
            List<String> out = new ArrayList<>();
            int n = 0;
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path p = Path.of(entry);
                if (!Files.exists(p) || worldReadable(p)) {
                    out.add(entry);
                    continue;
                }
                Path copy = lib.resolve((n++) + "-" + p.getFileName());
                Files.copy(p, copy, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
                copy.toFile().deleteOnExit();
                out.add(copy.toString());
            }
            classpath = String.join(File.pathSeparator, out);
            return classpath;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes test directories traversable and readable by another user (temp directories start owner-only). */
    public static void openUp(Path... dirs) throws IOException {
        for (Path d : dirs) Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Makes a test directory and file usable by another user (temp directories start owner-only). */
    public static void openUp(Path dir, Path file, String fileMode) throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(fileMode));
    }

    private static boolean worldReadable(Path p) throws IOException {
        Path abs = p.toAbsolutePath();
        Set<PosixFilePermission> own = Files.getPosixFilePermissions(abs);
        if (!own.contains(PosixFilePermission.OTHERS_READ)) return false;
        for (Path d = abs.getParent(); d != null; d = d.getParent()) {
            if (!Files.getPosixFilePermissions(d).contains(PosixFilePermission.OTHERS_EXECUTE)) return false;
        }
        return true;
    }
}
