package io.liftstream.experiments.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.experiments.assignment.Arm;
import io.liftstream.experiments.assignment.ExperimentAssigner;
import io.liftstream.experiments.assignment.ExperimentDefinition;
import io.liftstream.experiments.assignment.ExperimentStatus;
import io.liftstream.experiments.assignment.FrequencyCap;
import io.liftstream.experiments.bandit.BetaBernoulliPosteriors;
import io.liftstream.experiments.bandit.ConversionStats;
import io.liftstream.experiments.bandit.PolicyType;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

class ExperimentDeciderTest {
    static final ExperimentDefinition FIXED = ExperimentDefinition.builder("exp")
            .arms(List.of(new Arm("control", 0.25), new Arm("treat", 0.75)))
            .frequencyCap(new FrequencyCap(2, Duration.ofHours(1)))
            .holdoutPct(10)
            .build();

    @Test
    void fixedFirstAssignmentIsTheBucketWithItsWeight() {
        ExperimentDecider d = new ExperimentDecider(FIXED, 5);
        ExperimentAssigner a = new ExperimentAssigner(FIXED, 5);
        for (int i = 0; i < 2000; i++) {
            String user = "user-" + i;
            DecisionOutcome o = d.decide(user, UserSignals.NONE, DecisionIds.decisionId("r" + i, "exp"), () -> null);
            if (a.assign(user).inHoldout()) {
                assertThat(o.reason()).isEqualTo(DecisionReason.HOLDOUT);
                assertThat(o.arm()).isEqualTo("control");
                assertThat(o.inHoldout()).isTrue();
            } else {
                assertThat(o.reason()).isEqualTo(DecisionReason.ASSIGNED);
                assertThat(o.arm()).isEqualTo(a.assign(user).arm());
                assertThat(o.propensity()).isEqualTo(o.arm().equals("treat") ? 0.75 : 0.25);
            }
        }
    }

    @Test
    void reasonsInPrecedenceOrder() {
        ExperimentDecider d = new ExperimentDecider(FIXED, 0);
        String user = "someone-not-held";
        for (int i = 0; new ExperimentAssigner(FIXED).assign(user).inHoldout(); i++) {
            user = "someone-" + i;
        }
        String id = DecisionIds.decisionId("r", "exp");
        assertThat(d.decide(user, new UserSignals(true, true, "treat", 0.75, 9), id, () -> null).reason())
                .isEqualTo(DecisionReason.CONSENT);
        assertThat(d.decide(user, new UserSignals(false, true, "treat", 0.75, 9), id, () -> null).reason())
                .isEqualTo(DecisionReason.SUPPRESSED);
        assertThat(d.decide(user, new UserSignals(false, false, "treat", 0.75, 2), id, () -> null).reason())
                .isEqualTo(DecisionReason.CAPPED);
        DecisionOutcome sticky = d.decide(user, new UserSignals(false, false, "treat", 0.75, 1), id, () -> null);
        assertThat(sticky.reason()).isEqualTo(DecisionReason.STICKY);
        assertThat(sticky.arm()).isEqualTo("treat");
        ExperimentDefinition paused = ExperimentDefinition.builder("exp").arms("a", "b").status(ExperimentStatus.PAUSED).build();
        assertThat(new ExperimentDecider(paused, 0).decide(user, UserSignals.NONE, id, () -> null))
                .isEqualTo(new DecisionOutcome(DecisionReason.PAUSED, "a", 1.0, false));
        ExperimentDefinition stopped = ExperimentDefinition.builder("exp").arms("a", "b").status(ExperimentStatus.STOPPED).build();
        assertThat(new ExperimentDecider(stopped, 0).decide(user, UserSignals.NONE, id, () -> null).reason())
                .isEqualTo(DecisionReason.FALLBACK);
        ExperimentDefinition uncovered = ExperimentDefinition.builder("exp").arms("a", "b").coverage(0).build();
        assertThat(new ExperimentDecider(uncovered, 0).decide(user, UserSignals.NONE, id, () -> null).reason())
                .isEqualTo(DecisionReason.FALLBACK);
    }

    @Test
    void banditDrawsAreSeededByTheDecisionId() {
        ExperimentDefinition bandit = ExperimentDefinition.builder("b").arms("x", "y", "z").policy(PolicyType.THOMPSON).burnIn(0).build();
        ExperimentDecider d = new ExperimentDecider(bandit, 0);
        BetaBernoulliPosteriors p = BetaBernoulliPosteriors.of(new ConversionStats(100, 10), new ConversionStats(100, 12),
                new ConversionStats(100, 11));
        int[] counts = new int[3];
        for (int i = 0; i < 3000; i++) {
            String id = DecisionIds.decisionId("r" + i, "b");
            DecisionOutcome first = d.decide("u" + i, UserSignals.NONE, id, () -> p);
            assertThat(d.decide("u" + i, UserSignals.NONE, id, () -> p)).isEqualTo(first);
            counts[d.armIndex(first.arm())]++;
        }
        // Thompson probabilities for these posteriors are roughly 0.2 / 0.5 / 0.3.
        for (int i = 0; i < 3; i++) {
            assertThat(counts[i] / 3000.0).isCloseTo(p.thompsonProbability(i) * 0.97 + 0.01, org.assertj.core.api.Assertions.within(0.04));
        }
    }
}
