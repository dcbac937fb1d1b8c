package io.liftstream.experiments.stats.sequential;

import java.lang.reflect.Field;
import java.util.List;

/**
 * Empties {@link LanDeMetsBoundaries}' static chain cache, so that a test checks boundaries computed
 * by the recursion in that test, not ones another test (or, under PIT, which runs many mutants of
 * the class one after the other in the same JVM, the unmutated class or an earlier mutant) left
 * in the cache. Reflection keeps the production class free of a test-only method.
 */
final class FreshBoundaries {
    private FreshBoundaries() {}

    static void clearCache() {
        try {
            Field f = LanDeMetsBoundaries.class.getDeclaredField("CHAIN_CACHE");
            f.setAccessible(true);
            List<?> cache = (List<?>) f.get(null);
            synchronized (cache) {
                cache.clear();
            }
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("LanDeMetsBoundaries.CHAIN_CACHE is gone: update FreshBoundaries", e);
        }
    }
}
