package io.liftstream.experiments.assignment;

import java.util.Optional;

/**
 * GrowthBook's bucketing hash versions. Both map a (seed, value) pair to a number in [0, 1).
 *
 * <ul>
 *   <li>{@link #V1} (the original, default): {@code (fnv1a32(value + seed) % 1000) / 1000}. Three
 *       decimals only, and biased: users with similar ids and the same seed land in correlated
 *       buckets across experiments.</li>
 *   <li>{@link #V2} (unbiased): {@code (fnv1a32(String(fnv1a32(seed + value))) % 10000) / 10000}. The
 *       inner hash is rendered as its unsigned decimal string and hashed again.</li>
 * </ul>
 * Note the argument order differs between the versions (value first in v1, seed first in v2), as in
 * the reference {@code hash(seed, value, version)} of the JS SDK.
 */
public enum HashVersion {
    V1(1) {
        @Override
        public double hash(String seed, String value) {
            return (Fnv1a32.hash(value, seed) % 1000) / 1000.0;
        }
    },
    V2(2) {
        @Override
        public double hash(String seed, String value) {
            long inner = Fnv1a32.hash(seed, value);
            return (Fnv1a32.hashDecimal(inner) % 10000) / 10000.0;
        }
    };

    /** The number used in experiment definitions ({@code hash_version}) and by GrowthBook. */
    public final int number;

    HashVersion(int number) {
        this.number = number;
    }

    /** The bucket of {@code value} under {@code seed}, in [0, 1). */
    public abstract double hash(String seed, String value);

    /** The version with that number; empty for an unknown version (GrowthBook returns null then). */
    public static Optional<HashVersion> of(int number) {
        for (HashVersion v : values()) {
            if (v.number == number) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
