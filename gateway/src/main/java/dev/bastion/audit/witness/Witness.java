package dev.bastion.audit.witness;

import dev.bastion.audit.tlog.Cosignature;

import java.net.URI;

/**
 * One witness: its cosigner key (whose name is the witness's name) and its submission prefix;
 * {@code add-checkpoint} is posted to {@code <prefix>/add-checkpoint}.
 */
public record Witness(Cosignature.Verifier key, URI submissionPrefix) {
    public String name() { return key.name(); }

    URI addCheckpoint() {
        String p = submissionPrefix.toString();
        return URI.create(p.endsWith("/") ? p + "add-checkpoint" : p + "/add-checkpoint");
    }
}
