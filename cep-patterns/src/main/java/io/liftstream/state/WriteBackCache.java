package io.liftstream.state;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded, least-recently-used, write-back cache in front of a keyed store: a value read once stays
 * on the heap while its key is active, and reaches the store only when it is evicted or at {@link
 * #flush} (which the owner calls before every checkpoint, so a checkpoint holds every change; it
 * also empties the cache, so no value written to a store that keeps objects by reference is changed
 * behind the store's back afterwards).
 * With a capacity of 0 every read and write goes straight to the store.
 *
 * <p>Not thread-safe: an operator uses it from its task thread only.
 *
 * @param <K> the key
 * @param <V> the value; null means "no value" (the store clears the key)
 */
public final class WriteBackCache<K, V> {

    /** The keyed store behind the cache. */
    public interface Store<K, V> {
        V read(K key) throws Exception;

        /** Writes {@code value} for {@code key}, or clears the key if {@code value} is null. */
        void write(K key, V value) throws Exception;
    }

    private static final class Entry<V> {
        V value;
        boolean dirty;

        Entry(V value) {
            this.value = value;
        }
    }

    private final int capacity;
    private final Store<K, V> store;
    private final LinkedHashMap<K, Entry<V>> entries = new LinkedHashMap<>(16, 0.75f, true);

    public WriteBackCache(int capacity, Store<K, V> store) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0, was " + capacity);
        }
        this.capacity = capacity;
        this.store = store;
    }

    public V get(K key) throws Exception {
        if (capacity == 0) {
            return store.read(key);
        }
        Entry<V> e = entries.get(key);
        if (e == null) {
            e = new Entry<>(store.read(key));
            entries.put(key, e);
            evictBeyondCapacity();
        }
        return e.value;
    }

    /** Sets the value of a key (null: no value); it reaches the store at eviction or flush. */
    public void put(K key, V value) throws Exception {
        if (capacity == 0) {
            store.write(key, value);
            return;
        }
        Entry<V> e = entries.get(key);
        if (e == null) {
            e = new Entry<>(null);
            entries.put(key, e);
        }
        e.value = value;
        e.dirty = true;
        evictBeyondCapacity();
    }

    /** Writes every changed value to the store and empties the cache. */
    public void flush() throws Exception {
        for (Map.Entry<K, Entry<V>> e : entries.entrySet()) {
            if (e.getValue().dirty) {
                store.write(e.getKey(), e.getValue().value);
            }
        }
        entries.clear();
    }

    /** Keys held on the heap. */
    public int size() {
        return entries.size();
    }

    /** Keys whose value changed since it was read or last written. */
    public int dirtyCount() {
        int n = 0;
        for (Entry<V> e : entries.values()) {
            n += e.dirty ? 1 : 0;
        }
        return n;
    }

    private void evictBeyondCapacity() throws Exception {
        while (entries.size() > capacity) {
            Iterator<Map.Entry<K, Entry<V>>> eldest = entries.entrySet().iterator();
            Map.Entry<K, Entry<V>> e = eldest.next();
            if (e.getValue().dirty) {
                store.write(e.getKey(), e.getValue().value);
            }
            eldest.remove();
        }
    }
}
