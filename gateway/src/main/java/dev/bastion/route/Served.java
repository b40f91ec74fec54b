package dev.bastion.route;

/**
 * Which backend produced the answer, and how many planned backends failed before it (each before the first byte
 * reached the client), for the complete audit record and metrics.
 */
public record Served(String backend, int fallbacks) {}
