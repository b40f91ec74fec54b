package dev.bastion.inspect;

/**
 * The named-entity step (PERSON, LOCATION, ORGANIZATION, STREET_ADDRESS). The built-in
 * {@link GazetteerEntityRecognizer} uses embedded name lists and heuristics; a deployment that has a licensed NER
 * model implements this interface and passes it to {@link Inspector.Builder#recognizer}. It runs under the same
 * time budget and fail-closed rule as every detector.
 */
public interface EntityRecognizer extends Detector {
}
