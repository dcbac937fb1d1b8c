package io.liftstream.experiments.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.liftstream.experiments.assignment.Arm;
import io.liftstream.experiments.assignment.ExperimentAssigner;
import io.liftstream.experiments.assignment.ExperimentDefinition;
import io.liftstream.experiments.assignment.FrequencyCap;
import io.liftstream.experiments.assignment.RewardSpec;
import io.liftstream.experiments.bandit.ArmPosteriors;
import io.liftstream.experiments.bandit.BetaBernoulliPosteriors;
import io.liftstream.experiments.bandit.ConversionStats;
import io.liftstream.experiments.bandit.NormalGammaPosteriors;
import io.liftstream.experiments.bandit.PolicyType;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the decider logs besides the arm: the propensity of each kind of decision, when it reads the
 * posterior snapshot at all, and which posterior family it builds from the reward tallies.
 */
class DeciderPropensityAndPosteriorsTest {
    private static final Supplier<ArmPosteriors> NEVER = () -> {
        throw new AssertionError("the posteriors must only be read for a bandit's first assignment");
    };

    private static String userNotHeld(ExperimentDefinition def, double globalPct) {
        ExperimentAssigner a = new ExperimentAssigner(def, globalPct);
        for (int i = 0; ; i++) {
            if (!a.assign("u" + i).inHoldout() && a.assign("u" + i).inExperiment()) {
                return "u" + i;
            }
        }
    }

    @Test
    void fixedPropensityIsTheWeightOverTheWeightSum() {
        // Weights summing to 1.005 (within the tolerance): the propensity is normalized.
        ExperimentDefinition def = ExperimentDefinition.builder("norm")
                .arms(List.of(new Arm("a", 0.2), new Arm("b", 0.3), new Arm("c", 0.505))).build();
        ExperimentDecider d = new ExperimentDecider(def, 0);
        ExperimentAssigner a = new ExperimentAssigner(def);
        boolean[] seen = new boolean[3];
        for (int i = 0; i < 300; i++) {
            DecisionOutcome o = d.decide("u" + i, UserSignals.NONE, DecisionIds.decisionId("r" + i, "norm"), NEVER);
            int arm = d.armIndex(o.arm());
            assertThat(o.reason()).isEqualTo(DecisionReason.ASSIGNED);
            assertThat(o.arm()).isEqualTo(a.assign("u" + i).arm());
            assertThat(o.propensity()).isCloseTo(def.arms().get(arm).weight() / 1.005, within(1e-15));
            assertThat(o.inHoldout()).isFalse();
            seen[arm] = true;
        }
        assertThat(seen).containsExactly(true, true, true);
    }

    @Test
    void untreatedDecisionsServeTheDefaultArmWithPropensityOne() {
        ExperimentDefinition def = ExperimentDefinition.builder("h").arms("ctl", "t").holdoutPct(50).build();
        ExperimentDecider d = new ExperimentDecider(def, 0);
        ExperimentAssigner a = new ExperimentAssigner(def);
        int held = 0;
        for (int i = 0; i < 200; i++) {
            DecisionOutcome o = d.decide("u" + i, UserSignals.NONE, DecisionIds.decisionId("r" + i, "h"), NEVER);
            if (a.assign("u" + i).inHoldout()) {
                held++;
                assertThat(o).isEqualTo(new DecisionOutcome(DecisionReason.HOLDOUT, "ctl", 1.0, true));
            } else {
                assertThat(o.reason()).isEqualTo(DecisionReason.ASSIGNED);
                assertThat(o.propensity()).isEqualTo(0.5);
            }
        }
        assertThat(held).isBetween(70, 130);
        String user = userNotHeld(def, 0);
        assertThat(d.decide(user, new UserSignals(true, false, null, 0, 0), "x", NEVER))
                .isEqualTo(new DecisionOutcome(DecisionReason.CONSENT, "ctl", 1.0, false));
        assertThat(d.decide(user, new UserSignals(false, true, null, 0, 0), "x", NEVER))
                .isEqualTo(new DecisionOutcome(DecisionReason.SUPPRESSED, "ctl", 1.0, false));
    }

    @Test
    void theCapAppliesFromItsMaximumOnAndOnlyWithACap() {
        ExperimentDefinition capped = ExperimentDefinition.builder("cap").arms("a", "b")
                .frequencyCap(new FrequencyCap(3, Duration.ofDays(1))).build();
        ExperimentDefinition uncapped = ExperimentDefinition.builder("cap").arms("a", "b").build();
        String user = userNotHeld(capped, 0);
        String id = DecisionIds.decisionId("r", "cap");
        ExperimentDecider d = new ExperimentDecider(capped, 0);
        assertThat(d.decide(user, new UserSignals(false, false, null, 0, 2), id, NEVER).reason())
                .isEqualTo(DecisionReason.ASSIGNED);
        assertThat(d.decide(user, new UserSignals(false, false, null, 0, 3), id, NEVER))
                .isEqualTo(new DecisionOutcome(DecisionReason.CAPPED, "a", 1.0, false));
        assertThat(d.decide(user, new UserSignals(false, false, null, 0, 1000), id, NEVER).reason())
                .isEqualTo(DecisionReason.CAPPED);
        assertThat(new ExperimentDecider(uncapped, 0).decide(user, new UserSignals(false, false, null, 0, 1000), id, NEVER)
                .reason()).isEqualTo(DecisionReason.ASSIGNED);
    }

    @Test
    void stickyKeepsTheFirstPropensityUnlessTheArmIsGone() {
        ExperimentDefinition def = ExperimentDefinition.builder("s").arms("a", "b", "c").build();
        ExperimentDecider d = new ExperimentDecider(def, 0);
        String user = userNotHeld(def, 0);
        assertThat(d.decide(user, new UserSignals(false, false, "c", 0.125, 0), "x", NEVER))
                .isEqualTo(new DecisionOutcome(DecisionReason.STICKY, "c", 0.125, false));
        // The first arm (index 0) is sticky too.
        assertThat(d.decide(user, new UserSignals(false, false, "a", 0.25, 0), "x", NEVER))
                .isEqualTo(new DecisionOutcome(DecisionReason.STICKY, "a", 0.25, false));
        DecisionOutcome removed = d.decide(user, new UserSignals(false, false, "gone", 0.125, 0), "x", NEVER);
        assertThat(removed.reason()).isEqualTo(DecisionReason.ASSIGNED);
        assertThat(removed.arm()).isEqualTo(new ExperimentAssigner(def).assign(user).arm());
        assertThat(removed.propensity()).isCloseTo(1.0 / 3, within(1e-15));
    }

    @Test
    void banditPropensityComesFromTheAllocator() {
        ExperimentDefinition def = ExperimentDefinition.builder("b").arms("x", "y", "z")
                .policy(PolicyType.EPSILON_GREEDY).minArmShare(0.02).burnIn(10).build();
        ExperimentDecider d = new ExperimentDecider(def, 0);
        assertThat(d.isBandit()).isTrue();
        // In burn-in (arm z has 9 < 10 observations): uniform, propensity exactly 1/3.
        BetaBernoulliPosteriors burnIn = BetaBernoulliPosteriors.of(new ConversionStats(10, 1),
                new ConversionStats(10, 5), new ConversionStats(9, 1));
        DecisionOutcome o = d.decide("u1", UserSignals.NONE, DecisionIds.decisionId("r1", "b"), () -> burnIn);
        assertThat(o.reason()).isEqualTo(DecisionReason.ASSIGNED);
        assertThat(o.propensity()).isEqualTo(1.0 / 3);
        // After burn-in, epsilon-greedy with ε = 0.1 and floor f = 0.02: the greedy arm y gets
        // f + (1 − 3f)(1 − ε + ε/3) = 0.02 + 0.94 · (0.9 + 0.1/3), the others f + 0.94 · ε/3.
        BetaBernoulliPosteriors after = BetaBernoulliPosteriors.of(new ConversionStats(10, 1),
                new ConversionStats(10, 5), new ConversionStats(10, 1));
        int[] counts = new int[3];
        for (int i = 0; i < 3000; i++) {
            DecisionOutcome a = d.decide("u" + i, UserSignals.NONE, DecisionIds.decisionId("r" + i, "b"), () -> after);
            int arm = d.armIndex(a.arm());
            counts[arm]++;
            double expected = arm == 1 ? 0.02 + 0.94 * (0.9 + 0.1 / 3) : 0.02 + 0.94 * 0.1 / 3;
            assertThat(a.propensity()).isCloseTo(expected, within(1e-12));
        }
        assertThat(counts[1] / 3000.0).isCloseTo(0.02 + 0.94 * (0.9 + 0.1 / 3), within(0.03));
    }

    @Test
    void fixedIsNotABanditAndAnswersFromTheDefinition() {
        ExperimentDefinition def = ExperimentDefinition.builder("f").arms("first", "second").build();
        ExperimentDecider d = new ExperimentDecider(def, 0);
        assertThat(d.isBandit()).isFalse();
        assertThat(d.definition()).isSameAs(def);
        assertThat(d.defaultArm()).isEqualTo("first");
        assertThat(d.armIndex("first")).isZero();
        assertThat(d.armIndex("second")).isEqualTo(1);
        assertThat(d.armIndex("third")).isEqualTo(-1);
        assertThat(d.continuousReward()).isFalse();
    }

    @Test
    void conversionTalliesGiveBetaPosteriorsAndMissingArmsThePrior() {
        ExperimentDefinition def = ExperimentDefinition.builder("c").arms("a", "b", "c").policy(PolicyType.THOMPSON)
                .reward(new RewardSpec("Order Completed", "conversion", Duration.ofDays(1))).build();
        ExperimentDecider d = new ExperimentDecider(def, 0);
        assertThat(d.continuousReward()).isFalse();
        RewardTally a = new RewardTally().add(1).add(0).add(0);
        RewardTally c = new RewardTally().add(1);
        ArmPosteriors p = d.posteriors(Map.of("a", a, "c", c, "not-an-arm", new RewardTally().add(1)));
        assertThat(p).isInstanceOf(BetaBernoulliPosteriors.class);
        BetaBernoulliPosteriors beta = (BetaBernoulliPosteriors) p;
        assertThat(beta.arms()).isEqualTo(3);
        assertThat(new double[] {beta.alpha(0), beta.beta(0)}).containsExactly(2.0, 3.0);
        assertThat(new double[] {beta.alpha(1), beta.beta(1)}).containsExactly(1.0, 1.0);
        assertThat(new double[] {beta.alpha(2), beta.beta(2)}).containsExactly(2.0, 1.0);
        // Without a reward the tallies are conversions too.
        ExperimentDefinition noReward = ExperimentDefinition.builder("n").arms("a", "b").build();
        assertThat(new ExperimentDecider(noReward, 0).continuousReward()).isFalse();
        assertThat(new ExperimentDecider(noReward, 0).posteriors(Map.of())).isInstanceOf(BetaBernoulliPosteriors.class);
    }

    @Test
    void continuousTalliesGiveNormalGammaPosteriors() {
        ExperimentDefinition def = ExperimentDefinition.builder("v").arms("a", "b").policy(PolicyType.THOMPSON)
                .reward(new RewardSpec("Order Completed", "revenue", Duration.ofDays(1))).build();
        ExperimentDecider d = new ExperimentDecider(def, 0);
        assertThat(d.continuousReward()).isTrue();
        ArmPosteriors p = d.posteriors(Map.of("b", new RewardTally().add(10).add(20).add(60)));
        assertThat(p).isInstanceOf(NormalGammaPosteriors.class);
        assertThat(p.observations(0)).isZero();
        assertThat(p.empiricalMean(0)).isZero();
        assertThat(p.observations(1)).isEqualTo(3);
        assertThat(p.empiricalMean(1)).isEqualTo(30.0);
    }
}
