package io.liftstream.jobs.results;

import static io.liftstream.jobs.testkit.SegmentLines.MINUTE;
import static io.liftstream.jobs.testkit.SegmentLines.T0;
import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;

import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * A live definition change while every decisions and events partition is idle: the new version's
 * timestamp (an hour ahead) must not move event time past an exposure still on its way. With
 * {@link UserResultsOperator} the order buffered before the exposure waits, and counts once the
 * exposure arrives; the stock operator (the idle input left out) applies the order first and the
 * conversion is lost.
 */
class UserResultsOperatorTest {
    private static final long HOUR = 60 * MINUTE;

    /** Feeds the scenario to {@code operator} and returns the deltas and the watermarks it emitted. */
    private static List<String> run(CoBroadcastWithKeyedOperator<String, ResultsInput, DefinitionVersion, StatsDelta> operator)
            throws Exception {
        KeyedBroadcastOperatorTestHarness<String, ResultsInput, DefinitionVersion, StatsDelta> h =
                new KeyedBroadcastOperatorTestHarness<>(operator, new ResultsJob.ByUser(), Types.STRING, 1, 1, 0);
        h.setStateBackend(new HashMapStateBackend());
        h.open();
        h.processBroadcastElement(new DefinitionVersion("e", T0, UserResultsFunctionTest.definition("running", T0)), T0);
        h.processBroadcastWatermark(T0 - 1);
        h.processWatermark(T0 - 1);
        // The order reaches the job before the decision that exposed the user 5 minutes earlier ...
        h.processElement(UserResultsFunctionTest.order("u1", T0 + 10 * MINUTE, 20), T0 + 10 * MINUTE);
        // ... then every exposures-and-outcomes partition goes quiet, and a new version, effective in
        // an hour, arrives with its topic's watermark.
        operator.processWatermarkStatus1(WatermarkStatus.IDLE);
        h.processBroadcastElement(new DefinitionVersion("e", T0 + HOUR, UserResultsFunctionTest.definition("paused", T0 + HOUR)),
                T0 + HOUR);
        h.processBroadcastWatermark(T0 + HOUR - 1);
        // The decision arrives; then event time moves on with the data.
        operator.processWatermarkStatus1(WatermarkStatus.ACTIVE);
        h.processElement(ResultsInput.exposure("u1", T0 + 5 * MINUTE, "e", "control", false, "d1"), T0 + 5 * MINUTE);
        h.processWatermark(T0 + 20 * MINUTE);
        List<String> out = h.getOutput().stream().map(o -> o instanceof Watermark w ? "watermark T0" + (w.getTimestamp() < T0 ? "" : "+") + (w.getTimestamp() - T0) + "ms"
                        : o instanceof WatermarkStatus s ? (s.isIdle() ? "idle" : "active")
                        : UserResultsFunctionTest.describe((StatsDelta) ((StreamRecord<?>) o).getValue()))
                .toList();
        h.close();
        return out;
    }

    @Test
    void aDefinitionAloneNeverMovesEventTime() throws Exception {
        assertThat(run(new UserResultsOperator(new UserResultsFunction(new ResultsOptions.Settings(HOUR, 24 * HOUR)))))
                .containsExactly(
                        "watermark T0-1ms",
                        T0 + " arm:control users+1",
                        T0 + " arm:control reward 1.0/1.0",
                        T0 + " arm:control revenue 20.0/400.0",
                        "watermark T0+" + 20 * MINUTE + "ms");
    }

    @Test
    void theStockOperatorLetsTheDefinitionMoveEventTimeAndLosesTheConversion() throws Exception {
        assertThat(run(new CoBroadcastWithKeyedOperator<>(new UserResultsFunction(new ResultsOptions.Settings(HOUR, 24 * HOUR)),
                        List.of(UserResultsFunction.DEFINITIONS))))
                .doesNotContain(T0 + " arm:control reward 1.0/1.0")
                // Event time went to the new version's timestamp (minus 1 ms) with the data idle.
                .contains("watermark T0+" + (HOUR - 1) + "ms", T0 + " arm:control users+1");
    }
}
