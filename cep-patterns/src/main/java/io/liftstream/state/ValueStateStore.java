package io.liftstream.state;

import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.operators.KeyContext;

/**
 * The keyed {@link ValueState} of an operator as a {@link WriteBackCache.Store}: a read is for the
 * operator's current key (a cache reads only while that key's element or timer is processed); a
 * write switches the state to its key (an eviction or a flush writes other keys) and back.
 *
 * @param <K> the operator's key
 * @param <V> the value; null clears the key
 */
public final class ValueStateStore<K, V> implements WriteBackCache.Store<K, V> {
    private final ValueState<V> state;
    private final KeyContext keys;

    public ValueStateStore(ValueState<V> state, KeyContext keys) {
        this.state = state;
        this.keys = keys;
    }

    @Override
    public V read(K key) throws Exception {
        return state.value(); // only ever read for the current key
    }

    @Override
    public void write(K key, V value) throws Exception {
        Object current = keys.getCurrentKey();
        keys.setCurrentKey(key);
        if (value == null) {
            state.clear();
        } else {
            state.update(value);
        }
        if (current != null) {
            keys.setCurrentKey(current);
        }
    }
}
