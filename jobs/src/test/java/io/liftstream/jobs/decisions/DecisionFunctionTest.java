package io.liftstream.jobs.decisions;

import static io.liftstream.jobs.decisions.DecisionFixtures.HOUR;
import static io.liftstream.jobs.decisions.DecisionFixtures.MINUTE;
import static io.liftstream.jobs.decisions.DecisionFixtures.SECOND;
import static io.liftstream.jobs.decisions.DecisionFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.experiments.assignment.ExperimentAssigner;
import io.liftstream.experiments.decision.RewardTally;
import io.liftstream.jobs.experiments.ExperimentDefinitionJson;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link GatedDecisionOperator} and {@link DecisionFunction} in a harness, on the heap and on RocksDB:
 * the gate, stickiness, consent timing, attribution, deletion and retention leaving no state or timer
 * behind, and assignments and posteriors surviving a snapshot and restore.
 */
class DecisionFunctionTest {
    static final String AB = "{\"experiment_id\":\"ab\",\"arms\":[{\"name\":\"control\",\"weight\":0.5},{\"name\":\"treat\",\"weight\":0.5}],"
            + "\"frequency_cap\":{\"max\":2,\"per\":\"PT1H\"},"
            + "\"reward\":{\"event\":\"Order Completed\",\"value\":\"conversion\",\"window\":\"PT30M\"}}";
    static final String BANDIT = "{\"experiment_id\":\"bandit\",\"policy\":\"thompson\",\"burn_in\":0,\"min_arm_share\":0.01,"
            + "\"arms\":[{\"name\":\"a\"},{\"name\":\"b\"},{\"name\":\"c\"}],"
            + "\"reward\":{\"event\":\"Order Completed\",\"value\":\"conversion\",\"window\":\"PT10M\"}}";

    static DecisionSettings settings() {
        return DecisionSettings.defaults().withStateRetention(Duration.ofDays(1));
    }

    static DecisionHarness harness(DecisionHarness.Backend backend) throws Exception {
        return new DecisionHarness(settings(), backend).open();
    }

    @Test
    void itemsWaitForTheLoopMarkerAndProgressIsReported() throws Exception {
        try (DecisionHarness d = harness(DecisionHarness.Backend.HEAP)) {
            d.definition(AB);
            d.request("r1", "u1", "ab", T0 + 1500);
            d.h.processWatermark1(new org.apache.flink.streaming.api.watermark.Watermark(T0 + 5 * SECOND));
            d.h.processWatermark2(new org.apache.flink.streaming.api.watermark.Watermark(Long.MAX_VALUE));
            assertThat(d.drain()).as("no marker yet: the gate is closed").isEmpty();
            List<LoopRecord> progress = d.loop();
            assertThat(progress).singleElement().satisfies(p -> {
                assertThat(p.kind).isEqualTo(LoopRecord.PROGRESS);
                assertThat(p.bound).as("the epoch of the buffered request").isEqualTo(T0 + 1000);
            });
            d.marker(T0);
            assertThat(d.drain()).as("G = T0 allows up to T0 + 999 only").isEmpty();
            d.marker(T0 + 1000);
            assertThat(d.drain()).extracting(r -> r.requestId).containsExactly("r1");
            assertThat(d.loop()).last().satisfies(p -> assertThat(p.bound).isEqualTo(T0 + 5000));
        }
    }

    @Test
    void definitionAndPosteriorHistoriesArePrunedBelowTheWatermark() throws Exception {
        try (DecisionHarness d = harness(DecisionHarness.Backend.HEAP)) {
            String v1 = AB.replace("}}", "},\"timestamp\":\"2026-11-20T10:00:00Z\"}");
            String v2 = AB.replace("}}", "},\"status\":\"paused\",\"timestamp\":\"2026-11-20T11:00:00Z\"}");
            String v3 = AB.replace("}}", "},\"timestamp\":\"2026-11-20T12:00:00Z\"}");
            d.definition(v3); // arrival order does not matter: versions are ordered by their timestamp
            d.definition(v1);
            d.definition(v2);
            for (int i = 0; i < 5; i++) {
                d.posterior("ab", T0 + i * SECOND, List.of(new ArmTally("control", tally(i + 1, 0))));
            }
            d.request("r1", "u", "ab", T0 + 30 * MINUTE);
            d.request("r2", "u", "ab", T0 + 90 * MINUTE);
            d.request("r3", "u", "ab", T0 + 150 * MINUTE);
            d.advance(T0 + 100 * MINUTE);
            d.marker(d.epochs.start(T0 + 100 * MINUTE)); // a broadcast element prunes with the current watermark
            var defs = d.h.getOperator().getOperatorStateBackend().getBroadcastState(DecisionFunction.DEFINITIONS).get("ab");
            assertThat(defs.versions).extracting(v -> v.effectiveAt).containsExactly(T0 + HOUR, T0 + 2 * HOUR);
            var posts = d.h.getOperator().getOperatorStateBackend().getBroadcastState(DecisionFunction.POSTERIORS).get("ab");
            assertThat(posts.points).extracting(p -> p.boundary).containsExactly(T0 + 4 * SECOND);
            d.advance(T0 + 3 * HOUR);
            assertThat(d.drain()).extracting(r -> r.requestId + ":" + r.reason + ":" + r.experimentVersion)
                    .containsExactly("r1:assigned:" + T0, "r2:paused:" + (T0 + HOUR), "r3:sticky:" + (T0 + 2 * HOUR));
        }
    }

    @Test
    void aTriggerIsARequestForEveryExperimentAttachedToItsType() throws Exception {
        try (DecisionHarness d = harness(DecisionHarness.Backend.HEAP)) {
            d.definition(AB.replace("\"arms\"", "\"trigger\":\"cart_abandoned\",\"arms\""));
            d.definition(BANDIT.replace("\"arms\"", "\"trigger\":\"cart_abandoned\",\"arms\""));
            for (String type : new String[] {"cart_abandoned", "browse_abandoned"}) {
                UserItem t = new UserItem();
                t.kind = UserItem.TRIGGER;
                t.trigger = type;
                t.requestId = "trg-" + type;
                t.userId = "u";
                t.timestamp = T0;
                d.item(t);
            }
            d.advance(T0 + SECOND);
            assertThat(d.drain()).extracting(r -> r.requestId + ":" + r.experimentId)
                    .containsExactly("trg-cart_abandoned:ab", "trg-cart_abandoned:bandit");
        }
    }

    @Test
    void anIdleBroadcastInputStopsHoldingBackEventTime() throws Exception {
        try (DecisionHarness d = harness(DecisionHarness.Backend.HEAP)) {
            d.definition(AB);
            d.request("r1", "u1", "ab", T0);
            d.h.processWatermark1(new org.apache.flink.streaming.api.watermark.Watermark(T0 + MINUTE));
            d.marker(T0 + MINUTE);
            assertThat(d.drain()).as("the definitions' watermark holds it").isEmpty();
            d.h.processWatermarkStatus2(org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus.IDLE);
            assertThat(d.drain()).extracting(r -> r.requestId).containsExactly("r1");
        }
    }

    @Test
    void heldOutExposuresAreTalliedAsTheControlGroup() throws Exception {
        String held = AB.replace("\"frequency_cap\"", "\"holdout_pct\":100,\"frequency_cap\"");
        try (DecisionHarness d = harness(DecisionHarness.Backend.HEAP)) {
            d.definition(held);
            d.request("r1", "u", "ab", T0);
            d.order("u", T0 + MINUTE, 5);
            d.advance(T0 + HOUR);
            DecisionRecord r = d.drain().get(0);
            assertThat(r.reason).isEqualTo("holdout");
            assertThat(r.inHoldout).isTrue();
            assertThat(r.arm).isEqualTo("control");
            assertThat(d.loop()).filteredOn(l -> l.kind == LoopRecord.DELTA).singleElement().satisfies(l -> {
                assertThat(l.arm).isNull();
                assertThat(l.tally.conversions().successes()).isEqualTo(1);
            });
        }
    }

    @ParameterizedTest
    @EnumSource(DecisionHarness.Backend.class)
    void stickyAcrossAWeightChangeAndEqualToAssign(DecisionHarness.Backend backend) throws Exception {
        try (DecisionHarness d = harness(backend)) {
            d.definition(AB);
            String v2 = AB.replace("0.5},{\"name\":\"treat\",\"weight\":0.5}", "0.0},{\"name\":\"treat\",\"weight\":1.0}")
                    .replace("}}", "},\"timestamp\":\"2026-11-20T10:30:00Z\"}");
            d.definition(v2);
            List<String> users = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                users.add("user-" + i);
                d.request("a" + i, "user-" + i, "ab", T0 + i);
            }
            d.advance(T0 + MINUTE);
            ExperimentAssigner assigner = new ExperimentAssigner(ExperimentDefinitionJson.parse(AB));
            List<DecisionRecord> first = d.drain();
            assertThat(first).hasSize(40).allSatisfy(r -> {
                assertThat(r.reason).isEqualTo("assigned");
                assertThat(r.arm).isEqualTo(assigner.assign(r.userId).arm());
                assertThat(r.propensity).isEqualTo(0.5);
                assertThat(r.experimentVersion).isEqualTo(0L);
            });
            assertThat(first).extracting(r -> r.arm).contains("control");
            for (int i = 0; i < 40; i++) {
                d.request("b" + i, "user-" + i, "ab", T0 + HOUR + i);
            }
            d.request("b-new", "newcomer", "ab", T0 + HOUR + 100);
            d.advance(T0 + HOUR + MINUTE);
            List<DecisionRecord> second = d.drain();
            for (DecisionRecord r : second) {
                if (r.userId.equals("newcomer")) {
                    assertThat(r.arm).as("v2 sends everyone new to treat").isEqualTo("treat");
                    assertThat(r.experimentVersion).isEqualTo(T0 + 30 * MINUTE);
                } else {
                    assertThat(r.reason).isEqualTo("sticky");
                    assertThat(r.arm).isEqualTo(assigner.assign(r.userId).arm());
                }
            }
        }
    }

    @Test
    void consentAppliesFromTheNextEventOnAndCapsCount() throws Exception {
        try (DecisionHarness d = harness(DecisionHarness.Backend.HEAP)) {
            d.definition(AB);
            d.request("r1", "u", "ab", T0);
            d.request("r2", "u", "ab", T0 + MINUTE);
            d.request("r3", "u", "ab", T0 + 2 * MINUTE);
            d.control("consent", "u", "opt_out", T0 + 3 * MINUTE);
            d.request("r4", "u", "ab", T0 + 3 * MINUTE); // same instant: control runs first
            d.control("consent", "u", "opt_in", T0 + 4 * MINUTE);
            d.request("r5", "u", "ab", T0 + 4 * MINUTE + 1);
            d.request("r6", "u", "ab", T0 + 2 * HOUR);
            d.advance(T0 + 3 * HOUR);
            assertThat(d.drain()).extracting(r -> r.requestId + ":" + r.reason)
                    .containsExactly("r1:assigned", "r2:sticky", "r3:capped", "r4:consent", "r5:capped", "r6:sticky");
        }
    }

    @Test
    void anOutcomeInsideTheWindowIsAttributedOnceAndTheRestCloseAsFailures() throws Exception {
        try (DecisionHarness d = harness(DecisionHarness.Backend.HEAP)) {
            d.definition(AB);
            d.request("r1", "u", "ab", T0);
            d.order("u", T0, 5); // same instant: not caused by the exposure
            d.order("u", T0 + MINUTE, 5);
            d.order("u", T0 + 2 * MINUTE, 5); // the exposure is rewarded already
            d.request("r2", "v", "ab", T0);
            d.advance(T0 + HOUR);
            String arm = d.drain().get(0).arm;
            List<LoopRecord> loop = d.loop();
            RewardTally total = new RewardTally();
            for (LoopRecord r : loop) {
                if (r.kind == LoopRecord.DELTA) {
                    total.add(r.tally);
                }
            }
            assertThat(total.n).as("one reward per exposure").isEqualTo(2);
            assertThat(total.conversions().successes()).isEqualTo(1);
            assertThat(loop).anySatisfy(r -> {
                assertThat(r.kind).isEqualTo(LoopRecord.DELTA);
                assertThat(r.arm).isEqualTo(arm);
                assertThat(r.epoch).isEqualTo(d.epochs.epoch(T0 + MINUTE));
            });
        }
    }

    @ParameterizedTest
    @EnumSource(DecisionHarness.Backend.class)
    void deleteUserKeepsOnlyTheErasureAndNoTimer(DecisionHarness.Backend backend) throws Exception {
        try (DecisionHarness d = harness(backend)) {
            d.definition(AB);
            d.request("r1", "u", "ab", T0);
            d.control("consent", "u", "opt_out", T0 + SECOND);
            d.control("suppression", "u", "add", T0 + SECOND);
            d.advance(T0 + 2 * SECOND);
            assertThat(d.keyedStateEntries()).isPositive();
            assertThat(d.timers()).as("one wake-up: the reward window's end, before the retention").isEqualTo(1);
            d.control("delete_user", "u", null, T0 + 3 * SECOND);
            d.advance(T0 + 4 * SECOND);
            assertThat(d.keyedStateEntries()).as("the erasure, and nothing else").isEqualTo(1);
            assertThat(d.timers()).isZero();
            d.request("r2", "u", "ab", T0 + 5 * SECOND);
            d.advance(T0 + 6 * SECOND);
            assertThat(d.drain()).extracting(r -> r.reason).containsExactly("assigned", "consent");
            assertThat(d.timers()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(DecisionHarness.Backend.class)
    void retentionClearsAnIdleUser(DecisionHarness.Backend backend) throws Exception {
        try (DecisionHarness d = harness(backend)) {
            d.definition(AB);
            d.request("r1", "u", "ab", T0);
            d.advance(T0 + HOUR);
            assertThat(d.keyedStateEntries()).isEqualTo(1);
            d.advance(T0 + 25 * HOUR);
            assertThat(d.keyedStateEntries()).isZero();
            assertThat(d.timers()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(DecisionHarness.Backend.class)
    void laterActivityPostponesRetentionWithOneTimer(DecisionHarness.Backend backend) throws Exception {
        try (DecisionHarness d = harness(backend)) {
            d.definition(AB);
            d.request("r1", "u", "ab", T0);
            d.advance(T0 + HOUR);
            assertThat(d.timers()).as("the retention timer, set at T0 + 1 day").isEqualTo(1);
            d.request("r2", "u", "ab", T0 + 20 * HOUR);
            d.advance(T0 + 21 * HOUR);
            assertThat(d.timers()).as("still one: activity does not move the timer").isEqualTo(1);
            d.advance(T0 + 25 * HOUR);
            assertThat(d.keyedStateEntries()).as("due at T0 + 44.5 h: the timer re-armed").isEqualTo(1);
            assertThat(d.timers()).isEqualTo(1);
            assertThat(d.drain()).extracting(r -> r.reason).containsExactly("assigned", "sticky");
            d.request("r3", "u", "ab", T0 + 43 * HOUR);
            d.advance(T0 + 43 * HOUR + MINUTE);
            assertThat(d.drain()).extracting(r -> r.reason).containsExactly("sticky");
            d.advance(T0 + 67 * HOUR);
            assertThat(d.keyedStateEntries()).isEqualTo(1);
            d.advance(T0 + 68 * HOUR);
            assertThat(d.keyedStateEntries()).as("a day after the last item").isZero();
            assertThat(d.timers()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(DecisionHarness.Backend.class)
    void assignmentsAndPosteriorsSurviveSnapshotAndRestore(DecisionHarness.Backend backend) throws Exception {
        List<ArmTally> strong = List.of(new ArmTally("a", tally(1000, 10)), new ArmTally("b", tally(1000, 900)),
                new ArmTally("c", tally(1000, 10)));
        OperatorSubtaskState snapshot;
        List<DecisionRecord> uninterrupted;
        try (DecisionHarness d = harness(backend)) {
            d.definition(BANDIT);
            d.posterior("bandit", T0, strong);
            d.request("r1", "u1", "bandit", T0 + SECOND);
            d.advance(T0 + 2 * SECOND);
            DecisionRecord r1 = d.drain().get(0);
            assertThat(r1.arm).as("the posterior favours b").isEqualTo("b");
            assertThat(r1.propensity).isGreaterThan(0.97);
            snapshot = d.h.snapshot(1, 1);
            d.request("r2", "u1", "bandit", T0 + 3 * SECOND);
            d.request("r3", "u2", "bandit", T0 + 3 * SECOND);
            d.advance(T0 + 4 * SECOND);
            uninterrupted = d.drain();
        }
        try (DecisionHarness d = new DecisionHarness(settings(), backend)) {
            d.h.setup();
            d.h.initializeState(snapshot);
            d.h.open();
            d.request("r2", "u1", "bandit", T0 + 3 * SECOND);
            d.request("r3", "u2", "bandit", T0 + 3 * SECOND);
            d.h.processWatermark1(new org.apache.flink.streaming.api.watermark.Watermark(T0 + 4 * SECOND));
            d.h.processWatermark2(new org.apache.flink.streaming.api.watermark.Watermark(T0 + 4 * SECOND));
            d.marker(T0 + 4 * SECOND); // the restored marker alone would hold the new requests
            List<DecisionRecord> restored = d.drain();
            assertThat(restored).extracting(r -> r.requestId + ":" + r.reason + ":" + r.arm + ":" + r.propensity)
                    .isEqualTo(uninterrupted.stream().map(r -> r.requestId + ":" + r.reason + ":" + r.arm + ":" + r.propensity).toList());
            assertThat(restored.get(0).reason).isEqualTo("sticky");
            assertThat(restored.get(1).arm).isEqualTo("b");
        }
    }

    static RewardTally tally(int n, int successes) {
        RewardTally t = new RewardTally();
        for (int i = 0; i < n; i++) {
            t.add(i < successes ? 1 : 0);
        }
        return t;
    }
}
