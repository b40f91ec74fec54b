package dev.bastion.rag;

import dev.bastion.common.PrivateFiles;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexOutput;
import org.apache.lucene.store.Lock;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The index's files are the account's own, like every other file Bastion writes ({@link PrivateFiles}): Lucene
 * creates them with the process umask, so each new file (segments, temporary files, the write lock) is set to
 * {@code 0600} as it is created. The directory itself is {@code 0700} from the start, so no one else can reach a
 * file in the moment before.
 */
final class PrivateIndexDirectory extends FilterDirectory {
    private final Path dir;
    private final boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private PrivateIndexDirectory(FSDirectory in) {
        super(in);
        this.dir = in.getDirectory();
    }

    static PrivateIndexDirectory open(Path directory) throws IOException {
        PrivateFiles.directories(directory);
        return new PrivateIndexDirectory(FSDirectory.open(directory));
    }

    @Override
    public IndexOutput createOutput(String name, IOContext context) throws IOException {
        return own(super.createOutput(name, context));
    }

    @Override
    public IndexOutput createTempOutput(String prefix, String suffix, IOContext context) throws IOException {
        return own(super.createTempOutput(prefix, suffix, context));
    }

    @Override
    public Lock obtainLock(String name) throws IOException {
        Lock lock = super.obtainLock(name);
        restrict(name);
        return lock;
    }

    private IndexOutput own(IndexOutput out) throws IOException {
        restrict(out.getName());
        return out;
    }

    private void restrict(String name) throws IOException {
        Path file = dir.resolve(name);
        if (posix && Files.exists(file)) Files.setPosixFilePermissions(file, PrivateFiles.FILE);
    }
}
