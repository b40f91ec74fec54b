package dev.bastion.common;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Every file Bastion creates is readable by its own account only: files {@code 0600}, directories {@code 0700},
 * set when they are created (not chmod-ed afterwards, so there is no window in which they are open to others), and
 * independent of the process umask. On a file system without POSIX permissions the file system's defaults apply.
 */
public final class PrivateFiles {
    private static final Logger LOG = Logger.getLogger(PrivateFiles.class.getName());
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private PrivateFiles() {}

    /** Creates {@code dir} and any missing parents, each created one {@code 0700}; existing ones are left alone. */
    public static Path directories(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath();
        if (Files.isDirectory(abs)) return dir;
        Path parent = abs.getParent();
        if (parent != null) directories(parent);
        try {
            if (posix(abs)) {
                Files.createDirectory(abs, attribute(DIRECTORY));
                Files.setPosixFilePermissions(abs, DIRECTORY); // the umask may have narrowed nothing else, but be exact
            } else {
                Files.createDirectory(abs);
            }
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(abs)) throw e;
        }
        return dir;
    }

    /** Creates an empty {@code 0600} file if {@code file} does not exist (its directory is created {@code 0700}). */
    public static Path ensureFile(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) directories(parent);
        try {
            if (posix(parent)) {
                Files.createFile(file, attribute(FILE));
                Files.setPosixFilePermissions(file, FILE);
            } else {
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException ignored) {
            // the operator's or an earlier start's file: kept as it is
        }
        return file;
    }

    /**
     * Replaces {@code file} with {@code content} atomically and durably: written to a {@code 0600} temporary file in
     * the same directory, forced to disk, renamed over the target, then the directory is forced.
     */
    public static void writeAtomically(Path file, byte[] content) throws IOException {
        write(file, content, true);
    }

    /** As {@link #writeAtomically} without forcing to disk (many files a reader can re-create, e.g. an export). */
    public static void write(Path file, byte[] content) throws IOException {
        write(file, content, false);
    }

    private static void write(Path file, byte[] content, boolean durable) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        directories(dir);
        Path tmp = posix(dir) ? Files.createTempFile(dir, ".tmp-", ".part", attribute(FILE))
                : Files.createTempFile(dir, ".tmp-", ".part");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                var buf = java.nio.ByteBuffer.wrap(content);
                while (buf.hasRemaining()) ch.write(buf);
                if (durable) ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            if (durable) forceDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Warns when an existing directory Bastion keeps secrets in is open to other accounts (it is not changed). */
    public static void warnIfShared(Path dir) {
        try {
            if (!posix(dir) || !Files.isDirectory(dir)) return;
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(dir);
            if (p.stream().anyMatch(x -> x.name().startsWith("GROUP") || x.name().startsWith("OTHERS"))) {
                LOG.warning("data directory " + dir + " is accessible to other accounts ("
                        + PosixFilePermissions.toString(p) + "); Bastion creates its files 0600, consider chmod 700");
            }
        } catch (IOException e) {
            LOG.warning("cannot read the permissions of " + dir + ": " + e.getClass().getSimpleName());
        }
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // some file systems cannot open or sync a directory; the rename itself is still atomic
        }
    }

    private static boolean posix(Path anyPath) {
        Path p = anyPath == null ? Path.of(".") : anyPath;
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static FileAttribute<Set<PosixFilePermission>> attribute(Set<PosixFilePermission> p) {
        return PosixFilePermissions.asFileAttribute(p);
    }
}
