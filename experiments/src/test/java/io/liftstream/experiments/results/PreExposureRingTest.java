package io.liftstream.experiments.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** The per-user pre-exposure ring against a brute-force sum over every event, and its bounds. */
class PreExposureRingTest {
    private static final long DAY = PreExposureWindow.DAY;
    private static final long T0 = 1_764_547_200_000L; // 2025-12-01T00:00:00Z

    @Test
    void p14dIsTheFourteenWholeDaysBeforeTheDayOfExposure() {
        PreExposureWindow w = PreExposureWindow.of(Duration.ofDays(14));
        long exposure = T0 + 20 * DAY + 15 * 3_600_000L; // 15:00 on day 20
        assertThat(w.start(exposure)).isEqualTo(T0 + 6 * DAY);
        assertThat(w.end(exposure)).isEqualTo(T0 + 20 * DAY);
        assertThat(w.contains(exposure, T0 + 6 * DAY)).isTrue();
        assertThat(w.contains(exposure, T0 + 6 * DAY - 1)).isFalse();
        assertThat(w.contains(exposure, T0 + 20 * DAY - 1)).isTrue();
        assertThat(w.contains(exposure, T0 + 20 * DAY)).isFalse(); // the exposure's own day never counts
        PreExposureRing ring = w.newRing();
        ring.add(w, T0 + 6 * DAY - 1, 1000); // just before the window
        ring.add(w, T0 + 6 * DAY, 1);
        ring.add(w, T0 + 19 * DAY, 10);
        ring.add(w, T0 + 20 * DAY + 3_600_000L, 100); // same day as the exposure, before it
        assertThat(ring.total(w, exposure)).isEqualTo(11.0);
        assertThat(ring.sums).hasSize(15); // O(1): 14 days and the current one
    }

    @Test
    void matchesABruteForceSumOverRandomStreams() {
        SplittableRandom r = new SplittableRandom(42);
        for (int trial = 0; trial < 500; trial++) {
            PreExposureWindow w = r.nextBoolean() ? PreExposureWindow.of(Duration.ofDays(1 + r.nextInt(20)))
                    : PreExposureWindow.of(Duration.ofHours(1 + r.nextInt(48)));
            PreExposureRing ring = w.newRing();
            List<long[]> events = new ArrayList<>();
            long t = T0 + r.nextLong(10 * DAY);
            int count = r.nextInt(60);
            double[] amounts = new double[count];
            for (int i = 0; i < count; i++) {
                // Mostly forward in time, sometimes out of order by up to two buckets, sometimes long gaps.
                long step = r.nextInt(10) == 0 ? r.nextLong(30 * DAY) : r.nextLong(2 * w.bucketMillis());
                t += step;
                long time = r.nextInt(5) == 0 ? t - r.nextLong(2 * w.bucketMillis()) : t;
                amounts[i] = r.nextInt(1, 50);
                events.add(new long[] {time, i});
                ring.add(w, time, amounts[i]);
            }
            long exposure = t + r.nextLong(3 * w.bucketMillis());
            double expected = 0;
            for (long[] e : events) {
                if (w.contains(exposure, e[0]) && e[0] >= ringHorizon(w, events)) {
                    expected += amounts[(int) e[1]];
                }
            }
            assertThat(ring.total(w, exposure)).as("trial %d", trial).isCloseTo(expected, within(1e-9));
        }
    }

    /**
     * Events older than the ring's size before the newest event's bucket are dropped when added
     * (they can never count for an exposure at or after the newest event).
     */
    private static long ringHorizon(PreExposureWindow w, List<long[]> events) {
        long newest = Long.MIN_VALUE;
        for (long[] e : events) {
            newest = Math.max(newest, w.bucket(e[0]));
        }
        return (newest - w.buckets()) * w.bucketMillis();
    }

    @Test
    void expiresWhenNothingCanCountAnyMore() {
        PreExposureWindow w = PreExposureWindow.of(Duration.ofDays(7));
        PreExposureRing ring = w.newRing();
        assertThat(ring.expired(w, T0)).isTrue();
        ring.add(w, T0, 5);
        assertThat(ring.expired(w, T0 + 7 * DAY)).isFalse(); // day 0 is in the window of an exposure on day 7
        assertThat(ring.total(w, T0 + 7 * DAY)).isEqualTo(5.0);
        assertThat(ring.expired(w, T0 + 8 * DAY)).isTrue();
        assertThat(ring.total(w, T0 + 8 * DAY)).isEqualTo(0.0);
    }
}
