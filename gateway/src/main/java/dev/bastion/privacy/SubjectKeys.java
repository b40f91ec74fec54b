package dev.bastion.privacy;

import dev.bastion.barrier.Barrier;

import java.util.Optional;

/**
 * What privacy needs from the barrier's per-subject keys, behind one small seam (the barrier's API is being
 * reshaped; only this file knows its method names).
 */
public interface SubjectKeys {

    /** The subject's token under their live key, creating the key on first use. */
    Barrier.SubjectToken token(String subjectId);

    /** The subject's token if they have a live key; never creates one. */
    Optional<Barrier.SubjectToken> existing(String subjectId);

    /** Destroys the subject's key; the id of the destroyed key, or empty when they had none. */
    Optional<Long> destroy(String subjectId);

    /** Destroys a subject key by id; true when a live key was destroyed. */
    boolean destroyKey(long keyId);

    /** Forgets cached keys (another replica may have destroyed one). */
    void forget();

    static SubjectKeys of(Barrier barrier) {
        return new SubjectKeys() {
            @Override
            public Barrier.SubjectToken token(String subjectId) { return barrier.subjectToken(subjectId); }

            @Override
            public Optional<Barrier.SubjectToken> existing(String subjectId) {
                return barrier.existingSubjectToken(subjectId);
            }

            @Override
            public Optional<Long> destroy(String subjectId) { return barrier.destroySubjectKey(subjectId); }

            @Override
            public boolean destroyKey(long keyId) { return barrier.destroySubjectKeyById(keyId); }

            @Override
            public void forget() { barrier.forgetSubjectKeys(); }
        };
    }
}
