package dev.bastion.common;

/**
 * A capability that holds data linked to a data subject, and removes it when the subject is erased (GDPR Art. 17).
 * Privacy's erasure calls every one registered in {@code Wiring.subjectErasures} with the subject's id and records
 * the counts (never the id) in its proof; retrieval deletes the documents declared to concern the subject.
 */
public interface SubjectErasure {

    /** A short stable name for the proof's counts, e.g. {@code rag_documents}. */
    String name();

    /** Removes what is held for the subject; returns how many items went. Must be safe to repeat. */
    long erase(String subjectId);
}
