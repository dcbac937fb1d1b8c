package io.liftstream.jobs.decisions;

import static io.liftstream.jobs.decisions.DecisionFixtures.MINUTE;
import static io.liftstream.jobs.decisions.DecisionFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.liftstream.experiments.assignment.RewardSpec;

import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link ResponseModel} in the decision operator (the demo's simulated shoppers): a response is an
 * outcome of the same user, attributed to the exposure like an outcome from the events stream, fed to
 * the posterior loop, published on {@link DecisionFunction#SIMULATED_OUTCOMES} when event time reaches
 * it, and leaves no state or timer behind.
 */
class SimulatedResponsesTest {
    static final String AB = "{\"experiment_id\":\"ab\",\"arms\":[{\"name\":\"control\",\"weight\":0.5},{\"name\":\"treat\",\"weight\":0.5}],"
            + "\"holdout_pct\":0,\"reward\":{\"event\":\"Order Completed\",\"value\":\"conversion\",\"window\":\"PT30M\"}}";

    /** Users shown {@code treat} order 5 minutes later; nobody else orders. */
    static final class TreatConverts implements ResponseModel {
        private static final long serialVersionUID = 1L;

        @Override
        public Response respond(DecisionRecord d, RewardSpec reward) {
            return "treat".equals(d.arm) && ("assigned".equals(d.reason) || "sticky".equals(d.reason))
                    ? new Response(d.timestamp + 5 * MINUTE, null) : null;
        }
    }

    /** Responds after the reward window: a broken model. */
    static final class TooLate implements ResponseModel {
        private static final long serialVersionUID = 1L;

        @Override
        public Response respond(DecisionRecord d, RewardSpec reward) {
            return new Response(d.timestamp + reward.window().toMillis() + 1, null);
        }
    }

    @ParameterizedTest
    @EnumSource(DecisionHarness.Backend.class)
    void responsesAreAttributedPublishedAndLeaveNothingBehind(DecisionHarness.Backend backend) throws Exception {
        DecisionSettings settings = DecisionSettings.defaults().withStateRetention(Duration.ofHours(1));
        try (DecisionHarness d = new DecisionHarness(settings, backend, new TreatConverts()).open()) {
            d.definition(AB);
            for (int i = 0; i < 20; i++) {
                d.request("r" + i, "u" + i, "ab", T0 + i * 1000);
            }
            d.advance(T0 + 10 * MINUTE);
            List<DecisionRecord> decisions = d.drain();
            assertThat(decisions).hasSize(20);
            long treated = decisions.stream().filter(r -> r.arm.equals("treat")).count();
            assertThat(treated).isBetween(1L, 19L);

            List<UserItem> published = outcomes(d);
            assertThat(published).as("one order per treat user, 5 minutes after the decision").hasSize((int) treated);
            Map<String, DecisionRecord> byId = new TreeMap<>();
            decisions.forEach(r -> byId.put(r.decisionId, r));
            for (UserItem o : published) {
                DecisionRecord r = byId.get(o.respondsTo);
                assertThat(r.arm).isEqualTo("treat");
                assertThat(o.userId).isEqualTo(r.userId);
                assertThat(o.timestamp).isEqualTo(r.timestamp + 5 * MINUTE);
                assertThat(o.event).isEqualTo("Order Completed");
            }
            assertThat(SimulatedOutcomeJson.write(published.get(0)))
                    .startsWith("{\"type\":\"track\",\"event\":\"Order Completed\",\"userId\":\"" + published.get(0).userId + "\"")
                    .contains("\"decision_id\":\"" + published.get(0).respondsTo + "\"");

            d.advance(Long.MAX_VALUE);
            Map<String, long[]> observed = new TreeMap<>(); // arm -> {n, successes}
            for (LoopRecord r : d.loop()) {
                if (r.kind == LoopRecord.DELTA) {
                    long[] a = observed.computeIfAbsent(r.arm, k -> new long[2]);
                    a[0] += r.tally.n;
                    a[1] += Math.round(r.tally.sum());
                }
            }
            assertThat(observed.get("treat")).as("every treat exposure rewarded once").containsExactly(treated, treated);
            assertThat(observed.get("control")).as("control exposures close unrewarded").containsExactly(20 - treated, 0);
            assertThat(d.keyedStateEntries()).isZero();
            assertThat(d.timers()).isZero();
        }
    }

    @Test
    void theSameInputsGiveTheSameResponsesWithTheDemoModel() throws Exception {
        assertThat(run()).isEqualTo(run()).isNotEmpty();
    }

    private static List<String> run() throws Exception {
        List<String> lines = new ArrayList<>();
        try (DecisionHarness d = new DecisionHarness(DecisionSettings.defaults(), DecisionHarness.Backend.HEAP,
                new io.liftstream.jobs.demo.ShopperResponses(1, Map.of("control", 0.3, "treat", 0.6), 0.2)).open()) {
            d.definition(AB);
            for (int i = 0; i < 200; i++) {
                d.request("r" + i, "u" + i, "ab", T0 + i * 100);
            }
            d.advance(Long.MAX_VALUE);
            outcomes(d).forEach(o -> lines.add(SimulatedOutcomeJson.write(o)));
        }
        return lines;
    }

    @Test
    void aResponseOutsideTheWindowIsRefused() throws Exception {
        try (DecisionHarness d = new DecisionHarness(DecisionSettings.defaults(), DecisionHarness.Backend.HEAP, new TooLate()).open()) {
            d.definition(AB);
            d.request("r1", "u1", "ab", T0);
            assertThatThrownBy(() -> d.advance(T0 + MINUTE)).hasStackTraceContaining("within the reward window");
        }
    }

    private static List<UserItem> outcomes(DecisionHarness d) {
        List<UserItem> out = new ArrayList<>();
        var q = d.h.getSideOutput(DecisionFunction.SIMULATED_OUTCOMES);
        if (q != null) {
            for (StreamRecord<UserItem> r : q) {
                out.add(r.getValue());
            }
            q.clear();
        }
        return out;
    }
}
