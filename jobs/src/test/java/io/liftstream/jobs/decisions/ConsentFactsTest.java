package io.liftstream.jobs.decisions;

import static io.liftstream.jobs.decisions.DecisionFixtures.HOUR;
import static io.liftstream.jobs.decisions.DecisionFixtures.MINUTE;
import static io.liftstream.jobs.decisions.DecisionFixtures.SECOND;
import static io.liftstream.jobs.decisions.DecisionFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.jobs.serde.RejectedLine;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;

/**
 * Consent, suppression and erasure are durable facts in {@link GatedDecisionOperator}: not expired
 * by {@code state-retention}, kept (as "erased" alone) through {@code delete_user}, applied when
 * they arrive after event time has passed them, and restored from a snapshot. A definition that
 * arrives after event time passed its timestamp takes effect at once. Heap and RocksDB.
 */
class ConsentFactsTest {
    static final long DAY = 24 * HOUR;

    static DecisionHarness harness(DecisionHarness.Backend backend) throws Exception {
        return DecisionFunctionTest.harness(backend); // state-retention 1 day
    }

    @ParameterizedTest
    @EnumSource(DecisionHarness.Backend.class)
    void anOptOutOutlivesTheStateRetention(DecisionHarness.Backend backend) throws Exception {
        try (DecisionHarness d = harness(backend)) {
            d.definition(DecisionFunctionTest.AB);
            d.request("r1", "u", "ab", T0);
            d.control("consent", "u", "opt_out", T0 + SECOND);
            d.control("consent", "v", "opt_out", T0);
            d.control("suppression", "w", "add", T0);
            d.advance(T0 + 2 * DAY);
            assertThat(d.keyedStateEntries()).as("u's assignment expired, the three facts stay").isEqualTo(3);
            assertThat(d.timers()).as("a fact never falls due").isZero();
            UserProfile u = d.profile("u");
            assertThat(u.optedOut).isTrue();
            assertThat(u.assignments).isEmpty();
            assertThat(u.exposures).isEmpty();
            assertThat(u.treatments).isEmpty();

            d.request("r2", "u", "ab", T0 + 3 * DAY);
            d.request("r3", "v", "ab", T0 + 3 * DAY);
            d.request("r4", "w", "ab", T0 + 3 * DAY);
            d.control("consent", "u", "opt_in", T0 + 3 * DAY + SECOND);
            d.request("r5", "u", "ab", T0 + 3 * DAY + 2 * SECOND);
            d.advance(T0 + 3 * DAY + MINUTE);
            assertThat(d.drain()).extracting(r -> r.requestId + ":" + r.reason)
                    .containsExactly("r1:assigned", "r2:consent", "r3:consent", "r4:suppressed", "r5:assigned");
            assertThat(d.timers()).as("u is active again: one wake-up").isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(DecisionHarness.Backend.class)
    void deleteUserKeepsOnlyDoNotProcessAndIsFinal(DecisionHarness.Backend backend) throws Exception {
        try (DecisionHarness d = harness(backend)) {
            d.definition(DecisionFunctionTest.AB);
            d.request("r1", "u", "ab", T0);
            d.control("consent", "u", "opt_out", T0 + SECOND);
            d.control("suppression", "u", "add", T0 + SECOND);
            d.control("delete_user", "u", null, T0 + 2 * SECOND);
            d.request("r2", "u", "ab", T0 + 3 * SECOND);
            d.control("consent", "u", "opt_in", T0 + 4 * SECOND);
            d.control("suppression", "u", "remove", T0 + 4 * SECOND);
            d.request("r3", "u", "ab", T0 + 5 * SECOND);
            d.order("u", T0 + 6 * SECOND, 10);
            d.advance(T0 + MINUTE);
            assertThat(d.drain()).extracting(r -> r.requestId + ":" + r.reason + ":" + (r.reason.equals("assigned") ? "" : r.arm + ":" + r.propensity))
                    .containsExactly("r1:assigned:", "r2:consent:control:1.0", "r3:consent:control:1.0");
            assertThat(d.loop()).filteredOn(l -> l.kind == LoopRecord.DELTA).as("r1's open window went with the erasure").isEmpty();
            UserProfile p = d.profile("u");
            assertThat(p.erased).isTrue();
            assertThat(p.optedOut).as("nothing but the erasure").isFalse();
            assertThat(p.suppressed).isFalse();
            assertThat(p.assignments).isEmpty();
            assertThat(p.exposures).isEmpty();
            assertThat(p.treatments).isEmpty();
            assertThat(p.dueAt).isEqualTo(UserProfile.NONE);
            assertThat(p.wakeAt).isEqualTo(UserProfile.NONE);
            assertThat(d.timers()).isZero();

            d.request("r4", "u", "ab", T0 + 30 * DAY);
            d.advance(T0 + 31 * DAY);
            assertThat(d.drain()).extracting(r -> r.reason).containsExactly("consent");
            assertThat(d.keyedStateEntries()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(DecisionHarness.Backend.class)
    void aLateControlEventAppliesToTheItemsStillWaiting(DecisionHarness.Backend backend) throws Exception {
        try (DecisionHarness d = harness(backend)) {
            d.definition(DecisionFunctionTest.AB);
            d.request("r0", "w", "ab", T0 + 10 * SECOND);
            d.request("r1", "u", "ab", T0 + 50 * SECOND);
            d.advance(T0 + 20 * SECOND);
            assertThat(d.drain()).extracting(r -> r.requestId + ":" + r.reason).containsExactly("r0:assigned");
            assertThat(((GatedDecisionOperator) d.h.getOperator()).firedWatermark()).isEqualTo(T0 + 20 * SECOND);

            d.control("consent", "u", "opt_out", T0 + 5 * SECOND); // behind event time: r1 still waits
            d.control("delete_user", "w", null, T0 + 5 * SECOND); // r0 is decided and stays so
            d.request("r2", "w", "ab", T0 + 55 * SECOND);
            d.advance(T0 + MINUTE);
            assertThat(d.drain()).extracting(r -> r.requestId + ":" + r.reason).containsExactly("r1:consent", "r2:consent");
            assertThat(deadLetters(d)).as("nothing dropped").isEmpty();
            assertThat(d.profile("w").erased).isTrue();
            assertThat(d.profile("w").assignments).isEmpty();
        }
    }

    @Test
    void aDefinitionBehindEventTimeTakesEffectAtOnce() throws Exception {
        try (DecisionHarness d = harness(DecisionHarness.Backend.HEAP)) {
            d.definition(DecisionFunctionTest.AB);
            d.request("r1", "u1", "ab", T0 + 90 * MINUTE);
            d.request("r2", "u2", "ab", T0 + 2 * HOUR + SECOND);
            d.advance(T0 + 2 * HOUR);
            // "pause at T0 + 1 h", written when event time is at T0 + 2 h already
            d.definition(DecisionFunctionTest.AB.replace("}}", "},\"status\":\"paused\",\"timestamp\":\"2026-11-20T11:00:00Z\"}"));
            d.advance(T0 + 3 * HOUR);
            assertThat(d.drain()).extracting(r -> r.requestId + ":" + r.reason + ":" + r.experimentVersion)
                    .containsExactly("r1:assigned:0", "r2:paused:" + (T0 + 2 * HOUR + 1));
        }
    }

    @ParameterizedTest
    @EnumSource(DecisionHarness.Backend.class)
    void theFactsSurviveSnapshotAndRestore(DecisionHarness.Backend backend) throws Exception {
        OperatorSubtaskState snapshot;
        try (DecisionHarness d = harness(backend)) {
            d.definition(DecisionFunctionTest.AB);
            d.request("r1", "u", "ab", T0);
            d.control("consent", "u", "opt_out", T0 + SECOND);
            d.control("delete_user", "e", null, T0);
            d.control("suppression", "s", "add", T0);
            d.request("r2", "x", "ab", T0 + 20 * SECOND); // waits across the snapshot
            d.control("consent", "x", "opt_out", T0 + 15 * SECOND); // waits, and is late after the restore
            d.advance(T0 + 10 * SECOND);
            assertThat(d.drain()).extracting(r -> r.reason).containsExactly("assigned");
            snapshot = d.h.snapshot(1, 1);
        }
        try (DecisionHarness d = new DecisionHarness(DecisionFunctionTest.settings(), backend)) {
            d.h.setup();
            d.h.initializeState(snapshot);
            d.h.open();
            d.request("r3", "u", "ab", T0 + 3 * DAY);
            d.request("r4", "e", "ab", T0 + 3 * DAY);
            d.request("r5", "s", "ab", T0 + 3 * DAY);
            d.h.processWatermark1(new Watermark(T0 + 3 * DAY + SECOND));
            d.h.processWatermark2(new Watermark(T0 + 3 * DAY + SECOND));
            d.marker(d.epochs.start(T0 + 3 * DAY + SECOND));
            assertThat(d.drain()).extracting(r -> r.requestId + ":" + r.reason)
                    .containsExactly("r2:consent", "r3:consent", "r4:consent", "r5:suppressed");
            assertThat(d.profile("u").optedOut).isTrue();
            assertThat(d.profile("u").assignments).as("expired after a day").isEmpty();
            assertThat(d.profile("e").erased).isTrue();
            assertThat(d.timers()).isZero();
        }
    }

    static List<RejectedLine> deadLetters(DecisionHarness d) {
        List<RejectedLine> out = new ArrayList<>();
        Queue<StreamRecord<RejectedLine>> q = d.h.getSideOutput(DecisionFunction.DEAD_LETTERS);
        if (q != null) {
            q.forEach(r -> out.add(r.getValue()));
        }
        return out;
    }
}
