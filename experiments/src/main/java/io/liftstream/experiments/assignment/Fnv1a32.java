package io.liftstream.experiments.assignment;

/**
 * The 32-bit FNV-1a hash (Fowler, Noll, Vo; offset basis 2166136261, prime 16777619) as GrowthBook's
 * SDKs compute it.
 *
 * <p>Assumption that matters for compatibility: the JavaScript reference SDK XORs in UTF-16 code units
 * ({@code String.charCodeAt}), not UTF-8 bytes. Java strings are UTF-16 too, so iterating
 * {@link String#charAt} gives the same hash for every string, including non-ASCII ids.
 */
public final class Fnv1a32 {
    private Fnv1a32() {}

    static final int OFFSET_BASIS = 0x811c9dc5;
    static final int PRIME = 0x01000193;

    /** The hash as an unsigned 32-bit value in a {@code long}, in [0, 2^32). */
    public static long hash(CharSequence s) {
        int h = OFFSET_BASIS;
        for (int i = 0, n = s.length(); i < n; i++) {
            h ^= s.charAt(i);
            h *= PRIME; // int overflow is exactly multiplication modulo 2^32
        }
        return Integer.toUnsignedLong(h);
    }

    /** The hash of {@code a + b}, without building the concatenated string. */
    public static long hash(CharSequence a, CharSequence b) {
        int h = OFFSET_BASIS;
        for (int i = 0, n = a.length(); i < n; i++) {
            h ^= a.charAt(i);
            h *= PRIME;
        }
        for (int i = 0, n = b.length(); i < n; i++) {
            h ^= b.charAt(i);
            h *= PRIME;
        }
        return Integer.toUnsignedLong(h);
    }

    /**
     * The hash of {@code Long.toString(value)} for 0 ≤ value &lt; 2^32, without building the string:
     * hash version 2 hashes the decimal rendering of a first hash.
     */
    public static long hashDecimal(long value) {
        if (value < 0 || value > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("expected an unsigned 32-bit value, was " + value);
        }
        int h = OFFSET_BASIS;
        long divisor = 1_000_000_000L; // 2^32 - 1 has 10 digits
        while (divisor > 1 && value / divisor == 0) {
            divisor /= 10;
        }
        for (; divisor > 0; divisor /= 10) {
            h ^= (char) ('0' + (value / divisor) % 10);
            h *= PRIME;
        }
        return Integer.toUnsignedLong(h);
    }
}
