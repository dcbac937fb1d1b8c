package io.liftstream.jobs.decisions;

import static io.liftstream.jobs.decisions.DecisionFixtures.MINUTE;
import static io.liftstream.jobs.decisions.DecisionFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.jobs.serde.RejectedLine;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/**
 * Issue 13: the decision operator's event time ({@code fired}, how far items have been decided) is
 * checkpointed. An item at or below it is late, after a restore as in an uninterrupted run; without
 * the state it would be held and decided after the restore, so the restored job would answer a
 * request the uninterrupted one refused.
 */
class GatedDecisionFiredRestoreTest {

    private static List<String> run(DecisionHarness d, List<String> into) {
        for (DecisionRecord r : d.drain()) {
            into.add("decision " + r.requestId + " " + r.reason);
        }
        var q = d.h.getSideOutput(DecisionFunction.DEAD_LETTERS);
        if (q != null) {
            for (StreamRecord<RejectedLine> r : q) {
                into.add("dead " + r.getValue().reason + " " + r.getValue().eventTime + " " + r.getValue().watermark);
            }
            q.clear();
        }
        return into;
    }

    private static DecisionHarness started() throws Exception {
        DecisionHarness d = new DecisionHarness(DecisionSettings.defaults(), DecisionHarness.Backend.HEAP);
        d.open();
        d.definition(DecisionFunctionTest.AB);
        d.request("r1", "u1", "ab", T0 + 5 * MINUTE);
        d.advance(T0 + 10 * MINUTE);
        return d;
    }

    private static void rest(DecisionHarness d) throws Exception {
        d.request("r-late", "u2", "ab", T0 + MINUTE); // below what has been decided
        d.request("r2", "u3", "ab", T0 + 20 * MINUTE);
        d.advance(Long.MAX_VALUE);
    }

    @Test
    void aRestoreKeepsWhatIsLate() throws Exception {
        List<String> uninterrupted = new ArrayList<>();
        long fired;
        try (DecisionHarness d = started()) {
            fired = ((GatedDecisionOperator) d.h.getOperator()).firedWatermark();
            assertThat(fired).isGreaterThan(T0 + MINUTE);
            rest(d);
            run(d, uninterrupted);
        }
        assertThat(uninterrupted).contains("dead late " + (T0 + MINUTE) + " " + fired)
                .noneMatch(s -> s.startsWith("decision r-late"));

        List<String> restored = new ArrayList<>();
        OperatorSubtaskState snapshot;
        try (DecisionHarness d = started()) {
            snapshot = d.h.snapshot(1, 1);
            run(d, restored);
        }
        try (DecisionHarness d = new DecisionHarness(DecisionSettings.defaults(), DecisionHarness.Backend.HEAP)) {
            d.h.setup();
            d.h.initializeState(snapshot);
            d.h.open();
            assertThat(((GatedDecisionOperator) d.h.getOperator()).firedWatermark()).isEqualTo(fired);
            rest(d);
            run(d, restored);
        }
        assertThat(restored).isEqualTo(uninterrupted);
    }
}
