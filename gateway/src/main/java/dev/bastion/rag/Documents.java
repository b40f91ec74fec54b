package dev.bastion.rag;

import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Documents already stored: listing, deletion (records and index together), erasure of a data subject's documents
 * and retention. Deleting removes the document's metadata, chunks, embeddings, pseudonym map, digest and subject
 * links in one transaction, then its chunks from the index (gone from results at once, from the index files after
 * the background expunge).
 */
final class Documents {
    private final SealedRecords records;
    private final Collections collections;
    private final IndexKeeper index;
    private final Tokens tokens;
    private final Clock clock;

    Documents(SealedRecords records, Collections collections, IndexKeeper index, Tokens tokens, Clock clock) {
        this.records = records;
        this.collections = collections;
        this.index = index;
        this.tokens = tokens;
        this.clock = clock;
    }

    List<DocumentRecord> list(String collection) {
        List<DocumentRecord> out = new ArrayList<>();
        for (byte[] b : records.getAll(records.list(Records.docs(collection))).values()) {
            out.add(Records.json(b, DocumentRecord.class));
        }
        return out;
    }

    Optional<DocumentRecord> get(String collection, String id) {
        if (!id.matches("d[0-9a-f]{24}")) return Optional.empty();
        return records.get(Records.doc(collection, id)).map(b -> Records.json(b, DocumentRecord.class));
    }

    DocumentRecord require(String collection, String id) {
        return get(collection, id).orElseThrow(() -> new ProblemException(
                ErrorCode.DOCUMENT_NOT_FOUND.problem("no such document in the collection")));
    }

    /** Deletes documents everywhere; returns the records removed. */
    int delete(List<DocumentRecord> docs) {
        if (docs.isEmpty()) return 0;
        List<String> paths = new ArrayList<>();
        List<String> folders = new ArrayList<>();
        for (DocumentRecord d : docs) {
            paths.add(Records.doc(d.collection(), d.id()));
            paths.add(Records.digest(d.collection(), d.digest().substring("sha256:".length())));
            paths.add(Records.pseudonyms(d.id()));
            for (String s : d.subjects()) paths.add(Records.subject(s, d.id()));
            folders.add(Records.chunks(d.id()));
        }
        int n = records.deleteAll(paths, folders);
        index.remove(docs.stream().map(DocumentRecord::id).toList());
        return n;
    }

    /** Deletes every document declared to concern this subject, in every collection; returns how many. */
    int eraseSubject(String subjectId) {
        String token = tokens.subject(subjectId);
        List<DocumentRecord> docs = new ArrayList<>();
        List<String> links = records.list(Records.subjects(token));
        for (String link : links) {
            String id = Records.last(link);
            for (Collection c : collections.list()) get(c.name(), id).ifPresent(docs::add);
        }
        delete(docs);
        records.deleteAll(links, List.of()); // links whose documents were already gone
        return docs.size();
    }

    /** Deletes documents whose collection's retention has run out; returns how many. */
    int purgeExpired() {
        long now = clock.millis();
        List<DocumentRecord> expired = new ArrayList<>();
        for (Collection c : collections.list()) {
            for (DocumentRecord d : list(c.name())) if (d.expiresAt() != 0 && d.expiresAt() <= now) expired.add(d);
        }
        delete(expired);
        return expired.size();
    }

    /** How many documents and chunks a collection holds. */
    Map<String, Long> counts(String collection) {
        long docs = 0, chunks = 0;
        for (DocumentRecord d : list(collection)) {
            docs++;
            chunks += d.chunks();
        }
        return Map.of("documents", docs, "chunks", chunks);
    }
}
