package dev.bastion.server;

import io.helidon.logging.common.spi.LoggingProvider;

/**
 * Tells Helidon that logging is taken care of: Bastion configures java.util.logging itself ({@code cli.Main}), and
 * without a provider Helidon prints "There is no Helidon logging implementation on classpath" at every start.
 */
public final class HelidonLogging implements LoggingProvider {
    @Override
    public void initialization() {
        // java.util.logging is configured by Main before anything logs
    }

    @Override
    public void runTime() {
        // nothing to reconfigure at run time
    }
}
