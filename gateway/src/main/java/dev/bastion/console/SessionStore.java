package dev.bastion.console;

import dev.bastion.barrier.BarrierStore;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Optional;

/**
 * Console sessions in the barrier's record store, so any replica serves any session and signing out ends it
 * everywhere. A session's path is a hash of its cookie; its value — the credential, CSRF token and times — is sealed
 * under that path and expires with the session.
 */
final class SessionStore {
    private static final String PREFIX = "console/sessions/";
    private static final int TIMES = 3 * Long.BYTES;

    private final BarrierStore records;

    SessionStore(BarrierStore records) {
        this.records = records;
    }

    /** A stored session: its payload and its times. */
    record Row(byte[] payload, Instant createdAt, Instant usedAt, Instant expiresAt) {
        @Override
        public String toString() { return "Row[<redacted>, " + createdAt + ", " + usedAt + ", " + expiresAt + "]"; }
    }

    static String path(String idHash) { return PREFIX + idHash; }

    void put(String idHash, byte[] payload, Instant now, Instant expiresAt) {
        records.purgeExpired(PREFIX);
        records.put(path(idHash), encode(new Row(payload, now, now, expiresAt)), expiresAt);
    }

    Optional<Row> get(String idHash) {
        return records.get(path(idHash)).map(SessionStore::decode);
    }

    /** Records use at {@code now}; a session deleted meanwhile stays deleted. */
    void touch(String idHash, Instant now) {
        get(idHash).ifPresent(r -> records.replace(path(idHash),
                encode(new Row(r.payload(), r.createdAt(), now, r.expiresAt())), r.expiresAt()));
    }

    void delete(String idHash) {
        records.delete(path(idHash));
    }

    private static byte[] encode(Row r) {
        return ByteBuffer.allocate(TIMES + r.payload().length).putLong(r.createdAt().toEpochMilli())
                .putLong(r.usedAt().toEpochMilli()).putLong(r.expiresAt().toEpochMilli()).put(r.payload()).array();
    }

    private static Row decode(byte[] value) {
        ByteBuffer b = ByteBuffer.wrap(value);
        Instant created = Instant.ofEpochMilli(b.getLong());
        Instant used = Instant.ofEpochMilli(b.getLong());
        Instant expires = Instant.ofEpochMilli(b.getLong());
        byte[] payload = new byte[b.remaining()];
        b.get(payload);
        return new Row(payload, created, used, expires);
    }
}
