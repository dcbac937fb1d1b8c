package io.liftstream.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

class WriteBackCacheTest {

    /** A map store that records its reads and writes. */
    private static final class RecordingStore implements WriteBackCache.Store<String, String> {
        final Map<String, String> data = new HashMap<>();
        final List<String> log = new ArrayList<>();

        @Override
        public String read(String key) {
            log.add("read " + key);
            return data.get(key);
        }

        @Override
        public void write(String key, String value) {
            log.add("write " + key + "=" + value);
            if (value == null) {
                data.remove(key);
            } else {
                data.put(key, value);
            }
        }
    }

    @Test
    void aKeyIsReadOnceAndWrittenOnceAtFlush() throws Exception {
        RecordingStore store = new RecordingStore();
        store.data.put("a", "0");
        WriteBackCache<String, String> cache = new WriteBackCache<>(10, store);
        for (int i = 1; i <= 5; i++) {
            assertThat(cache.get("a")).isEqualTo(Integer.toString(i - 1));
            cache.put("a", Integer.toString(i));
        }
        assertThat(store.log).containsExactly("read a");
        assertThat(cache.dirtyCount()).isEqualTo(1);
        cache.flush();
        assertThat(store.log).containsExactly("read a", "write a=5");
        assertThat(store.data).containsEntry("a", "5");
        assertThat(cache.size()).isZero();
    }

    @Test
    void theLeastRecentlyUsedKeyIsWrittenWhenEvicted() throws Exception {
        RecordingStore store = new RecordingStore();
        WriteBackCache<String, String> cache = new WriteBackCache<>(2, store);
        cache.get("a");
        cache.put("a", "A");
        cache.get("b");
        cache.put("b", "B");
        cache.get("a"); // a is now more recent than b
        cache.get("c"); // evicts b
        assertThat(store.data).containsOnly(Map.entry("b", "B"));
        assertThat(cache.size()).isEqualTo(2);
        cache.get("b"); // read back from the store, evicts a
        assertThat(store.data).containsEntry("a", "A");
    }

    @Test
    void aClearedKeyIsClearedInTheStore() throws Exception {
        RecordingStore store = new RecordingStore();
        store.data.put("a", "x");
        WriteBackCache<String, String> cache = new WriteBackCache<>(4, store);
        cache.get("a");
        cache.put("a", null);
        assertThat(cache.get("a")).isNull();
        assertThat(store.data).containsKey("a");
        cache.flush();
        assertThat(store.data).doesNotContainKey("a");
    }

    @Test
    void aKeyReadButNotChangedIsNotWritten() throws Exception {
        RecordingStore store = new RecordingStore();
        store.data.put("a", "x");
        WriteBackCache<String, String> cache = new WriteBackCache<>(1, store);
        cache.get("a");
        cache.get("b"); // evicts a, unchanged
        cache.flush();
        assertThat(store.log).containsExactly("read a", "read b");
    }

    @Test
    void capacityZeroWritesThrough() throws Exception {
        RecordingStore store = new RecordingStore();
        WriteBackCache<String, String> cache = new WriteBackCache<>(0, store);
        cache.get("a");
        cache.put("a", "1");
        cache.get("a");
        assertThat(store.log).containsExactly("read a", "write a=1", "read a");
        assertThat(cache.size()).isZero();
        assertThatThrownBy(() -> new WriteBackCache<>(-1, store)).isInstanceOf(IllegalArgumentException.class);
    }
}
