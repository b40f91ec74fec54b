package dev.bastion.store;

import dev.bastion.common.Secret;

import java.nio.file.Path;

/**
 * Where state lives. {@code sqlite} (the default) keeps one WAL-mode file in the data directory; {@code postgres}
 * is for several Bastion replicas sharing one database.
 */
public record StoreConfig(Kind kind, String url, String user, Secret password, int poolSize) {

    public enum Kind { SQLITE, POSTGRES }

    public static StoreConfig sqlite(Path file) {
        return new StoreConfig(Kind.SQLITE, "jdbc:sqlite:" + file.toAbsolutePath(), null, Secret.NONE, 4);
    }

    public static StoreConfig postgres(String url, String user, Secret password, int poolSize) {
        return new StoreConfig(Kind.POSTGRES, url, user, password, poolSize);
    }
}
