package dev.bastion.quota;

/**
 * One counter: a rule's limit on one metric for one scope value, the value kept only as a keyed hash.
 *
 * @param scopeToken keyed hash of the scope value (key id, principal, team, purpose), hex
 */
record CounterId(String rule, Metric metric, String scopeToken) {
    String key() { return rule + ":" + metric.key() + ":" + scopeToken; }
}
