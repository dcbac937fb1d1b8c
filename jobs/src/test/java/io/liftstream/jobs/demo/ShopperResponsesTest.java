package io.liftstream.jobs.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.liftstream.experiments.assignment.RewardSpec;
import io.liftstream.experiments.decision.DecisionIds;
import io.liftstream.jobs.decisions.DecisionRecord;
import io.liftstream.jobs.decisions.ResponseModel;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** The demo's shoppers: deterministic per decision, converting at the rates they were given, within the window. */
class ShopperResponsesTest {
    static final RewardSpec DAY = new RewardSpec("Order Completed", "conversion", Duration.ofHours(24));
    static final long T0 = 1_795_000_000_000L;

    static DecisionRecord decision(int i, String arm, String reason) {
        DecisionRecord d = new DecisionRecord();
        d.decisionId = DecisionIds.decisionId("r" + i, "cart-recovery");
        d.userId = "u" + i;
        d.arm = arm;
        d.reason = reason;
        d.inHoldout = "holdout".equals(reason);
        d.timestamp = T0 + i;
        return d;
    }

    @Test
    void eachArmConvertsAtItsTrueRateAndUntreatedShoppersAtTheBaseRate() {
        ShopperResponses model = ShopperResponses.defaults(42);
        int n = 100_000;
        for (Map.Entry<String, Double> arm : Map.of("control", 0.04, "discount", 0.06, "free_shipping", 0.12).entrySet()) {
            assertConverts(model, n, arm.getKey(), "assigned", arm.getValue());
        }
        assertConverts(model, n, "control", "holdout", ShopperResponses.DEFAULT_BASE_RATE);
        assertConverts(model, n, "control", "consent", ShopperResponses.DEFAULT_BASE_RATE);
        assertConverts(model, n, "free_shipping", "sticky", 0.12);
    }

    private static void assertConverts(ShopperResponses model, int n, String arm, String reason, double rate) {
        int converted = 0;
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            DecisionRecord d = decision(i, arm, reason);
            ResponseModel.Response r = model.respond(d, DAY);
            if (r != null) {
                converted++;
                assertThat(r.revenue()).isNull();
                long delay = r.at() - d.timestamp;
                assertThat(delay).isPositive().isLessThanOrEqualTo(DAY.window().toMillis());
                delays.add(delay);
            }
        }
        double se = Math.sqrt(rate * (1 - rate) / n);
        assertThat((double) converted / n).as("%s %s", arm, reason).isCloseTo(rate, org.assertj.core.data.Offset.offset(4 * se));
        Collections.sort(delays);
        long median = delays.get(delays.size() / 2);
        assertThat(median).as("median delay").isBetween(Duration.ofMinutes(150).toMillis(), Duration.ofMinutes(210).toMillis());
    }

    @Test
    void aDecisionAlwaysGetsTheSameResponseAndSeedsDiffer() {
        ShopperResponses a = ShopperResponses.defaults(1);
        ShopperResponses b = ShopperResponses.defaults(2);
        int same = 0;
        int converted = 0;
        for (int i = 0; i < 10_000; i++) {
            DecisionRecord d = decision(i, "free_shipping", "assigned");
            assertThat(a.respond(d, DAY)).isEqualTo(a.respond(d, DAY));
            ResponseModel.Response ra = a.respond(d, DAY);
            if (ra != null) {
                converted++;
                if (ra.equals(b.respond(d, DAY))) {
                    same++;
                }
            }
        }
        assertThat(converted).isGreaterThan(1000);
        assertThat(same).as("another seed, other shoppers").isLessThan(converted / 5);
    }

    @Test
    void aRevenueRewardGetsAnOrderValue() {
        RewardSpec revenue = new RewardSpec("Order Completed", "revenue", Duration.ofHours(24));
        ShopperResponses model = new ShopperResponses(3, Map.of("a", 1.0), 1.0);
        ResponseModel.Response r = model.respond(decision(1, "a", "assigned"), revenue);
        assertThat(r.revenue()).isPositive();
    }

    @Test
    void ratesMustBeProbabilities() {
        assertThatThrownBy(() -> new ShopperResponses(1, Map.of("a", 1.5), 0.1)).hasMessageContaining("within [0, 1]");
        assertThatThrownBy(() -> new ShopperResponses(1, Map.of("a", 0.5), -0.1)).hasMessageContaining("base");
    }
}
