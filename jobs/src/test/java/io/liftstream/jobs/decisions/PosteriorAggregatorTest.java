package io.liftstream.jobs.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.experiments.decision.RewardTally;

import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.Test;

import java.util.List;

/** The aggregator publishes an epoch only when every decision subtask has passed it, cumulative, then the marker. */
class PosteriorAggregatorTest {
    static final long T = 1_795_000_000_000L;

    static OneInputStreamOperatorTestHarness<LoopRecord, BroadcastItem> harness() throws Exception {
        return new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new PosteriorAggregator(DecisionSettings.defaults())));
    }

    static RewardTally ones(int n) {
        RewardTally t = new RewardTally();
        for (int i = 0; i < n; i++) {
            t.add(1);
        }
        return t;
    }

    static void send(OneInputStreamOperatorTestHarness<LoopRecord, BroadcastItem> h, LoopRecord r) throws Exception {
        h.processElement(new StreamRecord<>(r));
    }

    @Test
    void publishesCompleteEpochsCumulativelyAfterEverySubtaskPassedThem() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            long e = T / 1000;
            send(h, LoopRecord.delta("x", "a", e, ones(2)));
            send(h, LoopRecord.progress(0, 2, T + 1000));
            assertThat(h.extractOutputValues()).as("subtask 1 has not reported").isEmpty();
            send(h, LoopRecord.delta("x", "a", e, ones(3)));
            send(h, LoopRecord.delta("x", null, e, ones(1)));
            send(h, LoopRecord.progress(1, 2, T + 5000));
            List<BroadcastItem> out = h.extractOutputValues();
            assertThat(out).extracting(b -> b.kind).containsExactly(BroadcastItem.POSTERIOR, BroadcastItem.MARKER);
            assertThat(out.get(0).boundary).isEqualTo(T + 1000);
            assertThat(out.get(0).arms).extracting(a -> a.arm + "=" + a.tally.n).containsExactly("null=1", "a=5");
            assertThat(out.get(1).boundary).isEqualTo(T + 1000);
            h.getOutput().clear();
            send(h, LoopRecord.delta("x", "a", e + 2, ones(1)));
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness()) {
            h.setup();
            h.initializeState(snapshot);
            h.open();
            send(h, LoopRecord.progress(0, 2, Long.MAX_VALUE));
            send(h, LoopRecord.progress(1, 2, Long.MAX_VALUE));
            List<BroadcastItem> out = h.extractOutputValues();
            // Restored progress (T+1000, T+5000): subtask 0's report lifts G to T+5000, which covers epoch e+2.
            assertThat(out).extracting(b -> b.kind).containsExactly(BroadcastItem.POSTERIOR, BroadcastItem.MARKER,
                    BroadcastItem.MARKER, BroadcastItem.END);
            assertThat(out.get(0).boundary).isEqualTo(T + 3000);
            assertThat(out).extracting(b -> b.boundary).endsWith(T + 5000, Long.MAX_VALUE, Long.MAX_VALUE);
            assertThat(out.get(0).arms).extracting(a -> a.arm + "=" + a.tally.n).containsExactly("null=1", "a=6");
        }
    }
}
