package io.liftstream.jobs.results;

import static io.liftstream.jobs.testkit.SegmentLines.MINUTE;
import static io.liftstream.jobs.testkit.SegmentLines.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.jobs.serde.JsonLines;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

/**
 * The per-user operator in a harness, on heap and RocksDB: event-time order whatever the arrival
 * order, first exposure wins, conflicts once, attribution windows, a snapshot and restore in the
 * middle (user arms, metric values, pending inputs and the broadcast definitions survive), and the
 * state dropped after the stop plus the window.
 */
class UserResultsFunctionTest {
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;
    private static final ResultsOptions.Settings SETTINGS = new ResultsOptions.Settings(HOUR, DAY);

    static String definition(String status, Long timestamp) {
        return "{\"experiment_id\":\"e\",\"status\":\"" + status + "\",\"arms\":[{\"name\":\"control\"},{\"name\":\"treatment\"}],"
                + "\"reward\":{\"event\":\"Order Completed\",\"value\":\"conversion\",\"window\":\"PT1H\"},"
                + "\"analysis\":{\"guardrails\":[{\"name\":\"revenue\",\"event\":\"Order Completed\",\"value\":\"revenue\",\"window\":\"PT2H\"}]}"
                + (timestamp == null ? "" : ",\"timestamp\":\"" + JsonLines.instant(timestamp) + "\"") + "}";
    }

    static KeyedBroadcastOperatorTestHarness<String, ResultsInput, DefinitionVersion, StatsDelta> harness(StateBackend backend,
            OperatorSubtaskState restore) throws Exception {
        KeyedBroadcastOperatorTestHarness<String, ResultsInput, DefinitionVersion, StatsDelta> h =
                new KeyedBroadcastOperatorTestHarness<>(
                        new CoBroadcastWithKeyedOperator<>(new UserResultsFunction(SETTINGS), List.of(UserResultsFunction.DEFINITIONS)),
                        new ResultsJob.ByUser(), Types.STRING, 1, 1, 0);
        h.setStateBackend(backend);
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
        return h;
    }

    static void watermark(KeyedBroadcastOperatorTestHarness<?, ?, ?, ?> h, long t) throws Exception {
        h.processBroadcastWatermark(t);
        h.processWatermark(t);
    }

    static ResultsInput order(String user, long t, double revenue) {
        return ResultsInput.outcome(user, t, "Order Completed", Map.of("revenue", revenue));
    }

    static String describe(StatsDelta d) {
        return d.label + " " + d.group + (d.users != 0 ? " users+" + d.users : "") + (d.conflicts != 0 ? " conflicts+" + d.conflicts : "")
                + (d.metric != null ? " " + d.metric + " " + d.sum + "/" + d.sumSquares : "");
    }

    @ParameterizedTest
    @ValueSource(strings = {"heap", "rocksdb"})
    void arrivesInAnyOrderRestoresAndForgets(String backendName) throws Exception {
        java.util.function.Supplier<StateBackend> backend = () -> backendName.equals("heap")
                ? new HashMapStateBackend() : new EmbeddedRocksDBStateBackend();
        var h = harness(backend.get(), null);
        h.processBroadcastElement(new DefinitionVersion("e", Long.MIN_VALUE, definition("running", null)), Long.MIN_VALUE);
        // The order arrives before the exposure it follows in event time; a non-member orders too.
        h.processElement(order("u1", T0 + 10 * MINUTE, 20), T0 + 10 * MINUTE);
        h.processElement(ResultsInput.exposure("u1", T0, "e", "control", false, "d1"), T0);
        h.processElement(order("x", T0 + 5 * MINUTE, 9), T0 + 5 * MINUTE);
        // Later: a second exposure to another arm (a conflict), and a second order within the window.
        h.processElement(ResultsInput.exposure("u1", T0 + 20 * MINUTE, "e", "treatment", false, "d2"), T0 + 20 * MINUTE);
        h.processElement(order("u1", T0 + 30 * MINUTE, 5), T0 + 30 * MINUTE);
        assertThat(h.extractOutputValues()).isEmpty();

        watermark(h, T0 + 15 * MINUTE);
        assertThat(h.extractOutputValues()).extracting(UserResultsFunctionTest::describe).containsExactly(
                T0 + " arm:control users+1",
                T0 + " arm:control reward 1.0/1.0",
                T0 + " arm:control revenue 20.0/400.0");

        OperatorSubtaskState snapshot = h.snapshot(1, T0 + 16 * MINUTE);
        h.close();
        h = harness(backend.get(), snapshot);
        // Pending inputs, the user's arm and values, and the definitions came back.
        watermark(h, T0 + 40 * MINUTE);
        assertThat(h.extractOutputValues()).extracting(UserResultsFunctionTest::describe).containsExactly(
                T0 + " arm:control conflicts+1",
                T0 + " arm:control revenue 5.0/225.0"); // 20 -> 25: Σx +5, Σx² +225; conversion stays 1

        h.getOutput().clear();
        // Outside the conversion window (1 h) but inside the revenue window (2 h).
        h.processElement(order("u1", T0 + 90 * MINUTE, 10), T0 + 90 * MINUTE);
        // The experiment stops; deltas after it carry the stop as their label.
        h.processBroadcastElement(new DefinitionVersion("e", T0 + 80 * MINUTE, definition("stopped", T0 + 80 * MINUTE)),
                T0 + 80 * MINUTE);
        watermark(h, T0 + 2 * HOUR);
        assertThat(h.extractOutputValues()).extracting(UserResultsFunctionTest::describe).containsExactly(
                (T0 + 80 * MINUTE) + " arm:control revenue 10.0/600.0");

        // One day after the exposure the user's retention check finds the experiment stopped for longer
        // than its window: the user is dropped, so a new exposure counts again, and no timer is left.
        h.getOutput().clear();
        watermark(h, T0 + DAY);
        assertThat(h.extractOutputValues()).isEmpty();
        assertThat(h.numEventTimeTimers()).isZero();
        h.processElement(ResultsInput.exposure("u1", T0 + DAY + MINUTE, "e", "treatment", false, "d3"), T0 + DAY + MINUTE);
        watermark(h, T0 + DAY + 2 * MINUTE);
        assertThat(h.extractOutputValues()).extracting(UserResultsFunctionTest::describe)
                .containsExactly((T0 + DAY) + " arm:treatment users+1");
        h.close();
    }

    /** {@link #describe} with the phase (when not the first). */
    static String withPhase(StatsDelta d) {
        String s = describe(d);
        int i = s.indexOf(' ', s.indexOf(' ') + 1);
        String phase = d.phase == Long.MIN_VALUE ? "" : " phase=" + d.phase;
        return i < 0 ? s + phase : s.substring(0, i) + phase + s.substring(i);
    }

    static String weighted(double treatment, String extraGuardrailWindow, Long timestamp) {
        return "{\"experiment_id\":\"e\",\"status\":\"running\",\"arms\":[{\"name\":\"control\",\"weight\":"
                + (1 - treatment) + "},{\"name\":\"treatment\",\"weight\":" + treatment + "}],"
                + "\"reward\":{\"event\":\"Order Completed\",\"value\":\"conversion\",\"window\":\"PT4H\"},"
                + "\"analysis\":{\"guardrails\":[{\"name\":\"revenue\",\"event\":\"Order Completed\",\"value\":\"revenue\","
                + "\"window\":\"" + extraGuardrailWindow + "\"}]}"
                + (timestamp == null ? "" : ",\"timestamp\":\"" + JsonLines.instant(timestamp) + "\"") + "}";
    }

    /**
     * Issue 12, defect 5: a weight change starts a phase, a change of metrics does not; users keep
     * the phase of their first exposure (through a snapshot and restore), their outcomes count there;
     * a bandit's users are in the period (bandit-period, 1 h) of their first exposure.
     */
    @ParameterizedTest
    @ValueSource(strings = {"heap", "rocksdb"})
    void usersBelongToThePhaseOfTheirFirstExposure(String backendName) throws Exception {
        java.util.function.Supplier<StateBackend> backend = () -> backendName.equals("heap")
                ? new HashMapStateBackend() : new EmbeddedRocksDBStateBackend();
        var h = harness(backend.get(), null);
        h.processBroadcastElement(new DefinitionVersion("e", Long.MIN_VALUE, weighted(0.5, "PT2H", null)), Long.MIN_VALUE);
        h.processBroadcastElement(new DefinitionVersion("e", T0 + HOUR, weighted(0.1, "PT2H", T0 + HOUR)), Long.MIN_VALUE);
        h.processBroadcastElement(new DefinitionVersion("e", T0 + 2 * HOUR, weighted(0.1, "PT3H", T0 + 2 * HOUR)), Long.MIN_VALUE);
        h.processBroadcastElement(new DefinitionVersion("b", Long.MIN_VALUE, "{\"experiment_id\":\"b\",\"policy\":\"thompson\","
                + "\"arms\":[{\"name\":\"x\"},{\"name\":\"y\"}],"
                + "\"reward\":{\"event\":\"Order Completed\",\"value\":\"conversion\",\"window\":\"PT4H\"}}"), Long.MIN_VALUE);
        h.processElement(ResultsInput.exposure("u1", T0 + 10 * MINUTE, "e", "control", false, "d1"), T0 + 10 * MINUTE);
        h.processElement(ResultsInput.exposure("u2", T0 + 90 * MINUTE, "e", "treatment", false, "d2"), T0 + 90 * MINUTE);
        h.processElement(ResultsInput.exposure("u1", T0 + 10 * MINUTE, "b", "x", false, "d3"), T0 + 10 * MINUTE);
        h.processElement(ResultsInput.exposure("u2", T0 + 70 * MINUTE, "b", "y", false, "d4"), T0 + 70 * MINUTE);
        watermark(h, T0 + 100 * MINUTE);
        long p2 = T0 + HOUR;
        assertThat(h.extractOutputValues()).extracting(UserResultsFunctionTest::withPhase).containsExactly(
                T0 + " arm:control users+1",
                T0 + " arm:x phase=" + T0 + " users+1",
                p2 + " arm:y phase=" + p2 + " users+1",
                p2 + " arm:treatment phase=" + p2 + " users+1");
        OperatorSubtaskState snapshot = h.snapshot(1, T0 + 100 * MINUTE);
        h.close();
        h = harness(backend.get(), snapshot);
        // After the change of metrics (no new phase): u3 joins phase 2; u1's order counts in phase 1.
        h.processElement(ResultsInput.exposure("u3", T0 + 150 * MINUTE, "e", "control", false, "d5"), T0 + 150 * MINUTE);
        h.processElement(order("u1", T0 + 160 * MINUTE, 7), T0 + 160 * MINUTE);
        watermark(h, T0 + 3 * HOUR);
        long tick = T0 + 2 * HOUR;
        assertThat(h.extractOutputValues()).extracting(UserResultsFunctionTest::withPhase).containsExactlyInAnyOrder(
                tick + " arm:control phase=" + p2 + " users+1",
                tick + " arm:control reward 1.0/1.0",
                tick + " arm:control revenue 7.0/49.0",
                tick + " arm:x phase=" + T0 + " reward 1.0/1.0");
        h.close();
    }
}
