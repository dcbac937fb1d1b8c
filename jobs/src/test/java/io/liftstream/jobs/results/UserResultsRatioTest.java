package io.liftstream.jobs.results;

import static io.liftstream.jobs.testkit.SegmentLines.MINUTE;
import static io.liftstream.jobs.testkit.SegmentLines.T0;
import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

/**
 * A ratio metric in the per-user operator (heap and RocksDB, snapshot and restore between two
 * orders): revenue per item, numerator "revenue" and denominator "items" of Order Completed; each
 * order moves Σm, Σm², Σd, Σd² and Σm·d by the user's change, from the values kept across the restore.
 */
class UserResultsRatioTest {
    static String definition() {
        return "{\"experiment_id\":\"e\",\"status\":\"running\",\"arms\":[{\"name\":\"control\"},{\"name\":\"treatment\"}],"
                + "\"reward\":{\"event\":\"Order Completed\",\"value\":\"conversion\",\"window\":\"PT1H\"},"
                + "\"analysis\":{\"guardrails\":[{\"name\":\"per_item\",\"event\":\"Order Completed\",\"value\":\"revenue\","
                + "\"window\":\"PT2H\",\"denominator\":{\"event\":\"Order Completed\",\"value\":\"items\"}}]}}";
    }

    static ResultsInput order(String user, long t, double revenue, double items) {
        return ResultsInput.outcome(user, t, "Order Completed", Map.of("revenue", revenue, "items", items));
    }

    @ParameterizedTest
    @ValueSource(strings = {"heap", "rocksdb"})
    void eachOrderMovesTheRatioSums(String backendName) throws Exception {
        java.util.function.Supplier<StateBackend> backend = () -> backendName.equals("heap")
                ? new HashMapStateBackend() : new EmbeddedRocksDBStateBackend();
        var h = UserResultsFunctionTest.harness(backend.get(), null);
        h.processBroadcastElement(new DefinitionVersion("e", Long.MIN_VALUE, definition()), Long.MIN_VALUE);
        h.processElement(ResultsInput.exposure("u1", T0, "e", "treatment", false, "d1"), T0);
        h.processElement(order("u1", T0 + 10 * MINUTE, 30, 2), T0 + 10 * MINUTE);
        UserResultsFunctionTest.watermark(h, T0 + 15 * MINUTE);
        assertThat(h.extractOutputValues()).extracting(UserResultsCupedTest::describe).containsExactly(
                T0 + " arm:treatment users+1",
                T0 + " arm:treatment reward 1.0/1.0",
                T0 + " arm:treatment per_item 30.0/900.0 pre 2.0/4.0 xp 60.0");
        OperatorSubtaskState snapshot = h.snapshot(1, T0 + 16 * MINUTE);
        h.close();
        h = UserResultsFunctionTest.harness(backend.get(), snapshot);
        h.processElement(order("u1", T0 + 20 * MINUTE, 10, 3), T0 + 20 * MINUTE);
        h.processElement(order("u1", T0 + 3 * 60 * MINUTE, 99, 9), T0 + 3 * 60 * MINUTE); // outside the window
        UserResultsFunctionTest.watermark(h, T0 + 4 * 60 * MINUTE);
        // (m, d): (30, 2) -> (40, 5): Σm +10, Σm² +700, Σd +3, Σd² +21, Σm·d 200 − 60 = +140.
        assertThat(h.extractOutputValues()).extracting(UserResultsCupedTest::describe).containsExactly(
                T0 + " arm:treatment per_item 10.0/700.0 pre 3.0/21.0 xp 140.0");
        h.close();
    }
}
