package dev.bastion.rag;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where retrieval keeps everything it persists: values by path, each encrypted by the barrier with its path as
 * associated data. The shape follows the barrier's storage API ({@code barrier.BarrierStore} on branch core14) so
 * moving there is a change of implementation, not of callers. Paths are {@code rag/…} segments of
 * {@code [A-Za-z0-9._:@=+-]}; a <em>folder</em> is a path's part up to its last {@code /}.
 */
interface SealedRecords {

    Optional<byte[]> get(String path);

    /** The values of these paths that exist (absent ones left out). */
    Map<String, byte[]> getAll(Collection<String> paths);

    /** Paths directly inside {@code folder}, sorted. */
    List<String> list(String folder);

    /** Writes every value in one transaction. */
    void putAll(Map<String, byte[]> values);

    default void put(String path, byte[] value) { putAll(Map.of(path, value)); }

    /** Deletes these paths and every path directly inside these folders, in one transaction; returns how many. */
    int deleteAll(Collection<String> paths, Collection<String> folders);

    /** The same records, new values encrypted under the data subject's own key (unreadable once it is shredded). */
    SealedRecords forSubject(String subjectId);
}
