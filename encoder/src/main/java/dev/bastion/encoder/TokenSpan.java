package dev.bastion.encoder;

/** One entity a token classifier found: its label without the B-/I- prefix, UTF-16 char offsets (end exclusive). */
public record TokenSpan(String label, int start, int end, double score) {
}
