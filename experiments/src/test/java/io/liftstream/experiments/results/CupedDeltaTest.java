package io.liftstream.experiments.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.liftstream.experiments.stats.ArmMoments;
import io.liftstream.experiments.stats.Capping;
import io.liftstream.experiments.stats.CupedStats;
import io.liftstream.experiments.stats.MetricType;
import io.liftstream.experiments.stats.SampleStats;
import io.liftstream.experiments.stats.cuped.CupedAdjustment;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Live CUPED without Flink: per-user events replayed in arrival order through the design the results
 * job is to wire (a {@link PreExposureRing} per user before exposure; after it the raw metric total
 * and the raw covariate total; a {@link CupedDelta} per change), against the statistics computed
 * directly from every user's final values.
 */
class CupedDeltaTest {
    private static final long DAY = PreExposureWindow.DAY;
    private static final long T0 = 1_764_547_200_000L;
    private static final MetricSpec REVENUE = new MetricSpec("revenue", "Order Completed", "revenue", Duration.ofDays(7),
            MetricSpec.Desired.INCREASE, Capping.absolute(400), Duration.ofDays(14));

    /** A user's stream: exposure time, then (time, amount) events in arrival order. */
    record User(int arm, long exposure, List<double[]> events) {}

    @Test
    void deltasAddUpToTheStatisticsOfTheFinalValues() {
        SplittableRandom r = new SplittableRandom(2013);
        List<User> users = users(r, 3000);
        PreExposureWindow w = REVENUE.preExposureWindow();
        CupedStats[] live = {CupedStats.EMPTY, CupedStats.EMPTY};
        CupedStats[] direct = {CupedStats.EMPTY, CupedStats.EMPTY};
        int latePre = 0;
        for (User u : users) {
            // The job: events before the exposure go to the ring; at exposure the covariate is fixed
            // from it; afterwards the user keeps two raw totals and emits a delta per change.
            PreExposureRing ring = w.newRing();
            CupedDelta sum = CupedDelta.NONE;
            boolean exposed = false;
            double rawX = 0;
            double rawPre = 0;
            for (double[] e : u.events) {
                long time = (long) e[0];
                double amount = e[1];
                if (!exposed && e[2] == 1) { // the exposure arrives here in this user's stream
                    exposed = true;
                    rawPre = ring.total(w, u.exposure);
                    sum = sum.plus(CupedDelta.forExposure(REVENUE, rawPre));
                    continue;
                }
                if (!exposed) {
                    ring.add(w, time, REVENUE.contribution(amount));
                } else if (w.contains(u.exposure, time)) { // late pre-exposure event
                    double after = rawPre + REVENUE.contribution(amount);
                    sum = sum.plus(CupedDelta.forLatePreOutcome(REVENUE, rawX, rawPre, after));
                    rawPre = after;
                } else if (REVENUE.inWindow(u.exposure, time)) {
                    double after = REVENUE.next(rawX, amount);
                    sum = sum.plus(CupedDelta.forOutcome(REVENUE, rawX, after, rawPre));
                    rawX = after;
                }
            }
            live[u.arm] = sum.applyTo(live[u.arm]);
            latePre += countLatePre(u, w);
            // Directly: the user's final capped value and covariate from all their events.
            double x = 0;
            double pre = 0;
            for (double[] e : u.events) {
                if (e[2] == 1) {
                    continue;
                }
                long time = (long) e[0];
                if (w.contains(u.exposure, time)) {
                    pre += e[1];
                } else if (REVENUE.inWindow(u.exposure, time)) {
                    x += e[1];
                }
            }
            direct[u.arm] = direct[u.arm].add(REVENUE.capped(x), REVENUE.covariate(pre));
        }
        for (int a = 0; a < 2; a++) {
            assertThat(live[a].post().n()).isEqualTo(direct[a].post().n());
            assertThat(live[a].pre().n()).isEqualTo(direct[a].pre().n());
            assertClose(live[a].post().sum(), direct[a].post().sum());
            assertClose(live[a].post().sumSquares(), direct[a].post().sumSquares());
            assertClose(live[a].pre().sum(), direct[a].pre().sum());
            assertClose(live[a].pre().sumSquares(), direct[a].pre().sumSquares());
            assertClose(live[a].sumProduct(), direct[a].sumProduct());
        }
        assertThat(latePre).as("pre-exposure outcomes arriving after the exposure").isGreaterThan(100);
        // The covariate correlates with the outcome (the users' spending level), so CUPED helps:
        double theta = CupedAdjustment.theta(List.of(live));
        assertThat(theta).isCloseTo(olsSlope(direct), within(1e-9));
        ArmMoments adjusted = CupedAdjustment.adjust(live[0], theta, MetricType.MEAN);
        assertThat(adjusted.variance()).isLessThan(0.8 * live[0].post().variance(MetricType.MEAN));
    }

    private static int countLatePre(User u, PreExposureWindow w) {
        boolean exposed = false;
        int late = 0;
        for (double[] e : u.events) {
            if (e[2] == 1) {
                exposed = true;
            } else if (exposed && w.contains(u.exposure, (long) e[0])) {
                late++;
            }
        }
        return late;
    }

    @Test
    void aChangeIsTheDifferenceOfTheUsersContributions() {
        CupedDelta d = CupedDelta.exposed(3).plus(CupedDelta.change(0, 3, 5, 3)).plus(CupedDelta.change(5, 3, 5, 4));
        assertThat(d).isEqualTo(new CupedDelta(1, 5, 25, 4, 16, 20));
        CupedStats s = d.applyTo(CupedStats.EMPTY);
        assertThat(s).isEqualTo(CupedStats.EMPTY.add(5, 4));
        assertThat(CupedDelta.NONE.applyTo(s)).isEqualTo(s);
    }

    /** Σ(x − x̄)(p − p̄)/Σ(p − p̄)² over both arms pooled, from the users' values. */
    private static double olsSlope(CupedStats[] arms) {
        CupedStats pooled = arms[0].merge(arms[1]);
        long n = pooled.post().n();
        double sxy = pooled.sumProduct() - pooled.post().sum() * pooled.pre().sum() / n;
        double sxx = pooled.pre().sumSquares() - pooled.pre().sum() * pooled.pre().sum() / n;
        return sxy / sxx;
    }

    private static void assertClose(double actual, double expected) {
        assertThat(actual).isCloseTo(expected, within(1e-9 * Math.max(1, Math.abs(expected))));
    }

    /**
     * Users whose spending level carries over from before exposure to after: orders over 30 days
     * around the exposure (day 20), arriving mostly in order, some late (up to 3 days).
     */
    private static List<User> users(SplittableRandom r, int count) {
        List<User> users = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long exposure = T0 + 20 * DAY + r.nextLong(DAY);
            double level = Math.exp(gauss(r));
            List<double[]> events = new ArrayList<>();
            int orders = r.nextInt(12);
            for (int k = 0; k < orders; k++) {
                long time = T0 + r.nextLong(30 * DAY);
                events.add(new double[] {time, Math.round(level * 40 * (0.5 + r.nextDouble()) * 100) / 100.0, 0});
            }
            events.add(new double[] {exposure, 0, 1});
            // Arrival order: event time plus a random delay (mostly none, sometimes up to 3 days).
            events.sort((a, b) -> Double.compare(arrival(a), arrival(b)));
            users.add(new User(r.nextInt(2), exposure, events));
        }
        return users;
    }

    private static double arrival(double[] e) {
        long t = (long) e[0];
        // A deterministic pseudo-delay from the event itself: every 4th order is up to 3 days late.
        long h = Long.hashCode(t) & 0x7fffffff;
        return e[2] == 1 || h % 4 != 0 ? t : t + (h % (3 * DAY));
    }

    private static double gauss(SplittableRandom r) {
        double u = r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }
}
