package dev.bastion.policy;

import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What later stages must do for a permitted request. Merged across every matching permit and obligate rule so that
 * each rule's demands hold together: per entity type the strongest {@link EntityAction} wins, region lists intersect,
 * the smallest token cap wins, re-identification needs one rule allowing it and none refusing it, and the strongest
 * prompt-injection reaction wins.
 *
 * @param entities       entity type (e.g. {@code EMAIL_ADDRESS}) → what to do with it
 * @param allowedRegions backend regions the request may be routed to; null means no restriction, empty means none
 * @param maxTokens      cap on generated tokens; 0 means no cap
 * @param reidentify     whether pseudonyms may be swapped back in answers
 * @param injection      reaction to detected prompt injection
 */
public record Obligations(Map<String, EntityAction> entities, Set<String> allowedRegions, int maxTokens,
                          Reidentify reidentify, Injection injection) {

    public enum Reidentify { UNSET, ALLOW, DENY }

    public enum Injection { NONE, FLAG, BLOCK }

    public static final Obligations NONE =
            new Obligations(Map.of(), null, 0, Reidentify.UNSET, Injection.NONE);

    public Obligations {
        entities = Collections.unmodifiableMap(new TreeMap<>(entities));
        allowedRegions = allowedRegions == null ? null : Collections.unmodifiableSet(new TreeSet<>(allowedRegions));
        if (maxTokens < 0) throw new IllegalArgumentException("maxTokens < 0");
    }

    public boolean isEmpty() { return equals(NONE); }

    public Set<String> mask() { return typesWith(EntityAction.MASK); }

    public Set<String> pseudonymise() { return typesWith(EntityAction.PSEUDONYMISE); }

    public Set<String> block() { return typesWith(EntityAction.BLOCK); }

    public Set<String> generalise() { return typesWith(EntityAction.GENERALISE); }

    /** True when pseudonyms may be replaced by the originals in the answer. */
    public boolean reidentifyAllowed() { return reidentify == Reidentify.ALLOW; }

    /** True when some rule restricted routing to a region list. */
    public boolean routingRestricted() { return allowedRegions != null; }

    public boolean regionAllowed(String region) { return allowedRegions == null || allowedRegions.contains(region); }

    private Set<String> typesWith(EntityAction action) {
        return entities.entrySet().stream().filter(e -> e.getValue() == action).map(Map.Entry::getKey)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Both sets of demands at once (commutative and associative, {@link #NONE} is the identity). */
    public Obligations merge(Obligations other) {
        if (other.isEmpty()) return this;
        if (isEmpty()) return other;
        var merged = new TreeMap<>(entities);
        other.entities.forEach((type, action) -> merged.merge(type, action, EntityAction::strongest));
        Set<String> regions;
        if (allowedRegions == null) regions = other.allowedRegions;
        else if (other.allowedRegions == null) regions = allowedRegions;
        else {
            regions = new HashSet<>(allowedRegions);
            regions.retainAll(other.allowedRegions);
        }
        int cap = maxTokens == 0 ? other.maxTokens : other.maxTokens == 0 ? maxTokens : Math.min(maxTokens, other.maxTokens);
        var re = reidentify.ordinal() >= other.reidentify.ordinal() ? reidentify : other.reidentify;
        var inj = injection.ordinal() >= other.injection.ordinal() ? injection : other.injection;
        return new Obligations(merged, regions, cap, re, inj);
    }

    /** A plain map for audit records and the simulate API (stable key order). */
    public Map<String, Object> toMap() {
        var out = new java.util.LinkedHashMap<String, Object>();
        var byAction = new EnumMap<EntityAction, Set<String>>(EntityAction.class);
        entities.forEach((t, a) -> byAction.computeIfAbsent(a, k -> new TreeSet<>()).add(t));
        for (var a : EntityAction.values()) {
            if (byAction.containsKey(a)) out.put(a.name().toLowerCase(java.util.Locale.ROOT), byAction.get(a));
        }
        if (allowedRegions != null) out.put("regions", allowedRegions);
        if (maxTokens > 0) out.put("max_tokens", maxTokens);
        if (reidentify != Reidentify.UNSET) out.put("reidentify", reidentify == Reidentify.ALLOW);
        if (injection != Injection.NONE) out.put("prompt_injection", injection.name().toLowerCase(java.util.Locale.ROOT));
        return out;
    }
}
