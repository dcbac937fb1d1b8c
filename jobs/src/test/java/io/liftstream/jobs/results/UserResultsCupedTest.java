package io.liftstream.jobs.results;

import static io.liftstream.jobs.testkit.SegmentLines.MINUTE;
import static io.liftstream.jobs.testkit.SegmentLines.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.experiments.results.ResultsTotals;
import io.liftstream.experiments.stats.CupedStats;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

/**
 * CUPED live in the per-user operator (heap and RocksDB, with a snapshot and restore between the
 * exposure and the outcome): each user's pre-exposure revenue over the 2 UTC days before the day of
 * first exposure becomes the covariate (orders 3 days before and on the exposure's own day do not
 * count), the exposure adds Σp and Σp², every later change adds Σx·p, and the deltas add up to the
 * CUPED moments of the users' (x, p). A never-exposed user's ring is dropped once it cannot count.
 */
class UserResultsCupedTest {
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;

    static String definition() {
        return "{\"experiment_id\":\"e\",\"status\":\"running\",\"arms\":[{\"name\":\"control\"},{\"name\":\"treatment\"}],"
                + "\"reward\":{\"event\":\"Order Completed\",\"value\":\"conversion\",\"window\":\"PT1H\"},"
                + "\"analysis\":{\"guardrails\":[{\"name\":\"revenue\",\"event\":\"Order Completed\",\"value\":\"revenue\","
                + "\"window\":\"PT2H\",\"cuped\":{\"lookback\":\"P2D\"}}]}}";
    }

    static String describe(StatsDelta d) {
        return UserResultsFunctionTest.describe(d)
                + (d.preSum != 0 || d.preSumSquares != 0 || d.sumProduct != 0
                        ? " pre " + d.preSum + "/" + d.preSumSquares + " xp " + d.sumProduct : "");
    }

    @ParameterizedTest
    @ValueSource(strings = {"heap", "rocksdb"})
    void usesEachUsersPreExposureValueAndTheDeltasAddUp(String backendName) throws Exception {
        java.util.function.Supplier<StateBackend> backend = () -> backendName.equals("heap")
                ? new HashMapStateBackend() : new EmbeddedRocksDBStateBackend();
        List<StatsDelta> all = new ArrayList<>();
        var h = UserResultsFunctionTest.harness(backend.get(), null);
        h.processBroadcastElement(new DefinitionVersion("e", Long.MIN_VALUE, definition()), Long.MIN_VALUE);
        // T0 is 2026-11-20T10:00Z: the window of an exposure at T0 is [11-18T00:00, 11-20T00:00).
        h.processElement(UserResultsFunctionTest.order("u1", T0 - 3 * DAY, 7), T0 - 3 * DAY); // too early
        h.processElement(UserResultsFunctionTest.order("u1", T0 - 2 * DAY + HOUR, 30), T0 - 2 * DAY + HOUR);
        h.processElement(UserResultsFunctionTest.order("u1", T0 - DAY, 12), T0 - DAY);
        h.processElement(UserResultsFunctionTest.order("u1", T0 - HOUR, 4), T0 - HOUR); // exposure's own day
        h.processElement(ResultsInput.exposure("u1", T0, "e", "control", false, "d1"), T0);
        h.processElement(ResultsInput.exposure("u2", T0 + MINUTE, "e", "control", false, "d2"), T0 + MINUTE);
        h.processElement(UserResultsFunctionTest.order("x", T0 - DAY, 50), T0 - DAY); // never exposed
        UserResultsFunctionTest.watermark(h, T0 + 5 * MINUTE);
        List<StatsDelta> first = h.extractOutputValues();
        assertThat(first).extracting(UserResultsCupedTest::describe).containsExactly(
                T0 + " arm:control users+1",
                T0 + " arm:control revenue 0.0/0.0 pre 42.0/1764.0 xp 0.0", // p = 30 + 12
                T0 + " arm:control users+1"); // u2: no pre-period orders, p = 0: nothing to add
        all.addAll(first);

        OperatorSubtaskState snapshot = h.snapshot(1, T0 + 6 * MINUTE);
        h.close();
        h = UserResultsFunctionTest.harness(backend.get(), snapshot);
        h.processElement(UserResultsFunctionTest.order("u1", T0 + 10 * MINUTE, 20), T0 + 10 * MINUTE);
        h.processElement(UserResultsFunctionTest.order("u1", T0 + 20 * MINUTE, 5), T0 + 20 * MINUTE);
        h.processElement(UserResultsFunctionTest.order("u2", T0 + 30 * MINUTE, 8), T0 + 30 * MINUTE);
        UserResultsFunctionTest.watermark(h, T0 + 40 * MINUTE);
        List<StatsDelta> later = h.extractOutputValues();
        assertThat(later).extracting(UserResultsCupedTest::describe).containsExactly(
                T0 + " arm:control reward 1.0/1.0",
                T0 + " arm:control revenue 20.0/400.0 pre 0.0/0.0 xp 840.0", // (20 − 0)·42, p restored
                T0 + " arm:control revenue 5.0/225.0 pre 0.0/0.0 xp 210.0", // (25 − 20)·42
                T0 + " arm:control reward 1.0/1.0",
                T0 + " arm:control revenue 8.0/64.0"); // u2: p = 0, no cross term
        all.addAll(later);

        // The deltas add up to the users' moments: x = (25, 8), p = (42, 0).
        ResultsTotals totals = new ResultsTotals();
        for (StatsDelta d : all) {
            String g = ResultsTotals.phased(d.group, d.phase);
            totals.addUsers(g, d.users);
            if (d.metric != null) {
                totals.addMetric(g, d.metric, d.sum, d.sumSquares);
                totals.addCovariate(g, d.metric, d.preSum, d.preSumSquares, d.sumProduct);
            }
        }
        CupedStats c = totals.cupedStats(ResultsTotals.FIRST_PHASE, ResultsTotals.arm("control"), "revenue");
        assertThat(c.post().n()).isEqualTo(2);
        assertThat(c.post().sum()).isEqualTo(33.0);
        assertThat(c.post().sumSquares()).isEqualTo(25 * 25 + 8 * 8);
        assertThat(c.pre().sum()).isEqualTo(42.0);
        assertThat(c.pre().sumSquares()).isEqualTo(42.0 * 42.0);
        assertThat(c.sumProduct()).isEqualTo(25.0 * 42.0);

        // x's ring (newest bucket 11-19) can count for no exposure from 11-22 on (its window would be
        // 11-20 and 11-21), u1's and u2's (newest 11-20) from 11-23 on: their timers drop them then.
        h.getOutput().clear();
        long nov22 = T0 - 10 * HOUR + 2 * DAY;
        assertThat(usersWithRings(h)).containsExactly("u1", "u2", "x");
        UserResultsFunctionTest.watermark(h, nov22 - 1);
        assertThat(usersWithRings(h)).containsExactly("u1", "u2", "x");
        UserResultsFunctionTest.watermark(h, nov22);
        assertThat(usersWithRings(h)).containsExactly("u1", "u2");
        UserResultsFunctionTest.watermark(h, nov22 + DAY);
        assertThat(usersWithRings(h)).isEmpty();
        assertThat(h.extractOutputValues()).isEmpty();
        h.close();
    }

    private static List<String> usersWithRings(
            org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness<String, ?, ?, ?> h) {
        org.apache.flink.runtime.state.KeyedStateBackend<String> b = h.getOperator().getKeyedStateBackend();
        try (var keys = b.getKeys("pre-exposure-rings", org.apache.flink.runtime.state.VoidNamespace.INSTANCE)) {
            return keys.sorted().toList();
        }
    }
}
