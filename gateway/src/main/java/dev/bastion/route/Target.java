package dev.bastion.route;

/** One backend of an alias: the route to it, its priority group (lower is tried first) and weight in the group. */
public record Target(Route route, int priority, int weight) {}
