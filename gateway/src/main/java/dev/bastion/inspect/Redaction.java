package dev.bastion.inspect;

import java.util.Map;
import java.util.Set;

/** The result of applying obligations to text. */
public sealed interface Redaction {

    /** The text to send on, and how many findings of each type were changed (masked, pseudonymised, generalised). */
    record Redacted(String text, Map<EntityType, Integer> changed) implements Redaction {
        public Redacted {
            changed = Map.copyOf(changed);
        }
    }

    /** Policy says these types must not pass: the request is refused. Names types, never values. */
    record Blocked(Set<EntityType> types) implements Redaction {
        public Blocked {
            types = Set.copyOf(types);
        }
    }
}
