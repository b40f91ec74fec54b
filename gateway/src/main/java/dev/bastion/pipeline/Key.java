package dev.bastion.pipeline;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A typed slot on an {@link Exchange}. The package that produces a value declares its key (for example
 * {@code Identity.PRINCIPAL}); later stages read it. This keeps the pipeline package free of capability types.
 */
public final class Key<T> {
    static final int MAX_KEYS = 64;
    private static final AtomicInteger NEXT = new AtomicInteger();

    final int index;
    private final String name;
    private final Class<T> type;

    private Key(String name, Class<T> type) {
        this.index = NEXT.getAndIncrement();
        if (index >= MAX_KEYS) {
            throw new IllegalStateException("more than " + MAX_KEYS + " exchange keys: raise Key.MAX_KEYS");
        }
        this.name = name;
        this.type = type;
    }

    public static <T> Key<T> of(String name, Class<T> type) {
        return new Key<>(name, type);
    }

    T cast(Object value) { return type.cast(value); }

    @Override
    public String toString() { return "Key[" + name + "]"; }
}
