package dev.bastion.rag;

import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;
import dev.bastion.policy.PolicyCompileException;
import dev.bastion.policy.PolicyHolder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The collections, kept as sealed records and cached in memory; {@link #forget()} drops the cache (another replica
 * changed something). Writers check a new access rule against the policy in force before storing it.
 */
final class Collections {
    private final SealedRecords records;
    private final PolicyHolder policies;
    private final CollectionAccess access;
    private final Map<String, Optional<Collection>> cache = new ConcurrentHashMap<>();

    Collections(SealedRecords records, PolicyHolder policies, CollectionAccess access) {
        this.records = records;
        this.policies = policies;
        this.access = access;
    }

    Optional<Collection> get(String name) {
        if (!Collection.NAME.matcher(name).matches()) return Optional.empty();
        return cache.computeIfAbsent(name, n -> records.get(Records.collection(n))
                .map(b -> Records.json(b, Collection.class)));
    }

    Collection require(String name) {
        return get(name).orElseThrow(() -> new ProblemException(ErrorCode.COLLECTION_NOT_FOUND.problem(
                "no such collection")));
    }

    List<Collection> list() {
        List<Collection> out = new ArrayList<>();
        for (String path : records.list(Records.COLLECTIONS)) get(Records.last(path)).ifPresent(out::add);
        return out;
    }

    synchronized Collection create(Collection c) {
        validate(c);
        if (records.get(Records.collection(c.name())).isPresent()) {
            throw new ProblemException(ErrorCode.COLLECTION_EXISTS.problem("a collection of that name exists"));
        }
        records.put(Records.collection(c.name()), Records.json(c));
        cache.remove(c.name());
        return c;
    }

    synchronized Collection replace(Collection c) {
        validate(c);
        records.put(Records.collection(c.name()), Records.json(c));
        cache.remove(c.name());
        return c;
    }

    /** Removes the collection's own record (its documents are deleted by the caller first). */
    synchronized void remove(String name) {
        records.deleteAll(List.of(Records.collection(name)), List.of());
        cache.remove(name);
    }

    void forget() { cache.clear(); }

    private void validate(Collection c) {
        var policy = policies.current();
        List<String> labels = policy.classifications();
        if (!labels.contains(c.classification())) {
            throw new ProblemException(ErrorCode.INVALID_FIELD.problem("classification must be one of " + labels,
                    "classification"));
        }
        // a role or purpose the policy does not know admits nobody: refused as a typo, like in a policy rule
        for (String role : c.access().roles()) {
            if (!policy.roles().contains(role)) {
                throw new ProblemException(ErrorCode.ACCESS_RULE_INVALID.problem("role '" + role
                        + "' is not one of the policy's roles " + new java.util.TreeSet<>(policy.roles()), "access.roles"));
            }
        }
        List<String> purposes = c.access().purposes();
        if (purposes != null && !policy.purposes().isEmpty()) {
            for (String purpose : purposes) {
                if (!policy.purposes().contains(purpose)) {
                    throw new ProblemException(ErrorCode.ACCESS_RULE_INVALID.problem("purpose '" + purpose
                            + "' is not one of the policy's purposes " + new java.util.TreeSet<>(policy.purposes()),
                            "access.purposes"));
                }
            }
        }
        try {
            access.check(c.name(), c.access());
        } catch (PolicyCompileException e) {
            throw new ProblemException(ErrorCode.ACCESS_RULE_INVALID.problem(
                    "access.when does not compile: " + e.getMessage(), "access.when"));
        }
    }
}
