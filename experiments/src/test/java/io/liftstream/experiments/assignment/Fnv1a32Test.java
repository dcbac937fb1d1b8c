package io.liftstream.experiments.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

class Fnv1a32Test {
    @Test
    void publishedTestVectors() {
        // FNV-1a 32-bit reference values (Fowler, Noll, Vo; draft-eastlake-fnv, test vectors).
        assertThat(Fnv1a32.hash("")).isEqualTo(0x811c9dc5L);
        assertThat(Fnv1a32.hash("a")).isEqualTo(0xe40c292cL);
        assertThat(Fnv1a32.hash("foobar")).isEqualTo(0xbf9cf968L);
    }

    @Test
    void twoPartHashIsTheHashOfTheConcatenation() {
        assertThat(Fnv1a32.hash("foo", "bar")).isEqualTo(Fnv1a32.hash("foobar"));
        assertThat(Fnv1a32.hash("", "é漢")).isEqualTo(Fnv1a32.hash("é漢"));
    }

    @Test
    void decimalHashEqualsTheHashOfTheDecimalString() {
        SplittableRandom rng = new SplittableRandom(1);
        for (long v : new long[] {0, 1, 9, 10, 99, 100, 999_999_999L, 1_000_000_000L, 0xFFFFFFFFL}) {
            assertThat(Fnv1a32.hashDecimal(v)).as("%d", v).isEqualTo(Fnv1a32.hash(Long.toString(v)));
        }
        for (int i = 0; i < 10_000; i++) {
            long v = rng.nextLong(0x1_0000_0000L);
            assertThat(Fnv1a32.hashDecimal(v)).isEqualTo(Fnv1a32.hash(Long.toString(v)));
        }
    }
}
