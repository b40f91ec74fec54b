package dev.bastion.route;

import java.util.List;

/** An alias and the backends that serve it, in configuration order. */
public record ModelRoutes(String alias, List<Target> targets) {
    public ModelRoutes {
        targets = List.copyOf(targets);
    }

    /** The first configured target: what the alias is when nothing else is known. */
    public Route preferred() { return targets.getFirst().route(); }
}
