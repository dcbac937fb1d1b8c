package io.liftstream.experiments.assignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.liftstream.experiments.bandit.PolicyType;
import io.liftstream.experiments.results.AnalysisSpec;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Every validation of a definition and its parts at its boundary: the limit itself is accepted, the
 * first value past it is refused with the documented message.
 */
class DefinitionBoundariesAndMessagesTest {

    @Test
    void armWeightsFromZeroToOne() {
        assertThat(new Arm("a", 0).weight()).isZero();
        assertThat(new Arm("a", 1).weight()).isEqualTo(1.0);
        assertThatThrownBy(() -> new Arm("a", -0.001)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("arm 'a': weight must be in [0, 1], was -0.001");
        assertThatThrownBy(() -> new Arm("a", 1.001)).hasMessage("arm 'a': weight must be in [0, 1], was 1.001");
        assertThatThrownBy(() -> new Arm("a", Double.NaN)).hasMessage("arm 'a': weight must be in [0, 1], was NaN");
        assertThatThrownBy(() -> new Arm(" ", 0.5)).hasMessage("arm name must not be empty");
        assertThatThrownBy(() -> new Arm(null, 0.5)).hasMessage("arm name must not be empty");
    }

    @Test
    void bucketRangeMayBeEmptyButNotReversed() {
        BucketRange empty = new BucketRange(0.3, 0.3);
        assertThat(empty.width()).isZero();
        assertThat(empty.contains(0.3)).isFalse();
        BucketRange r = new BucketRange(0.25, 0.75);
        assertThat(r.width()).isEqualTo(0.5);
        assertThat(r.contains(0.25)).isTrue();
        assertThat(r.contains(0.2499)).isFalse();
        assertThat(r.contains(0.7499)).isTrue();
        assertThat(r.contains(0.75)).isFalse();
        assertThatThrownBy(() -> new BucketRange(0.5, 0.4))
                .hasMessage("bucket range start 0.5 must not exceed end 0.4");
    }

    @Test
    void namespaceSliceBounds() {
        Namespace whole = new Namespace("ns", 0, 1);
        assertThat(whole.seed()).isEqualTo("__ns");
        Namespace point = new Namespace("ns", 0.5, 0.5);
        assertThat(point.contains(0.5)).isFalse();
        Namespace half = new Namespace("ns", 0.4, 0.6);
        assertThat(half.contains(0.4)).isTrue();
        assertThat(half.contains(0.6)).isFalse();
        assertThat(half.contains(0.3999)).isFalse();
        assertThat(half.contains(0.5999)).isTrue();
        // GrowthBook cases.json inNamespace: user "1" sits at 0.4 of namespace1... checked by position.
        assertThat(half.contains("1")).isEqualTo(half.contains(half.position("1")));
        assertThat(whole.position("1")).isEqualTo(HashVersion.V1.hash("__ns", "1"));
        assertThatThrownBy(() -> new Namespace("ns", -0.1, 0.5))
                .hasMessage("namespace range must satisfy 0 <= start <= end <= 1, was [-0.1, 0.5]");
        assertThatThrownBy(() -> new Namespace("ns", 0.5, 1.1)).hasMessageContaining("was [0.5, 1.1]");
        assertThatThrownBy(() -> new Namespace("", 0, 1)).hasMessage("namespace id must not be empty");
        assertThatThrownBy(() -> new Namespace(null, 0, 1)).hasMessage("namespace id must not be empty");
    }

    @Test
    void frequencyCapNeedsOneAndAPositivePeriod() {
        assertThat(new FrequencyCap(1, Duration.ofMillis(1)).max()).isEqualTo(1);
        assertThatThrownBy(() -> new FrequencyCap(0, Duration.ofHours(1)))
                .hasMessage("frequency_cap.max must be at least 1, was 0");
        assertThatThrownBy(() -> new FrequencyCap(1, Duration.ZERO))
                .hasMessage("frequency_cap.per must be a positive ISO-8601 duration, was PT0S");
        assertThatThrownBy(() -> new FrequencyCap(1, Duration.ofHours(-1))).hasMessageContaining("was PT-1H");
        assertThatThrownBy(() -> new FrequencyCap(1, null)).hasMessageContaining("was null");
    }

    @Test
    void rewardDefaultsToConversion() {
        RewardSpec blank = new RewardSpec("Order Completed", " ", Duration.ofDays(1));
        assertThat(blank.value()).isEqualTo(RewardSpec.CONVERSION);
        assertThat(blank.isConversion()).isTrue();
        assertThat(new RewardSpec("Order Completed", null, Duration.ofDays(1)).isConversion()).isTrue();
        assertThat(new RewardSpec("Order Completed", "revenue", Duration.ofDays(1)).isConversion()).isFalse();
        assertThatThrownBy(() -> new RewardSpec(" ", null, Duration.ofDays(1))).hasMessage("reward.event must not be empty");
        assertThatThrownBy(() -> new RewardSpec(null, null, Duration.ofDays(1))).hasMessage("reward.event must not be empty");
        assertThatThrownBy(() -> new RewardSpec("e", null, Duration.ZERO))
                .hasMessage("reward.window must be a positive ISO-8601 duration, was PT0S");
        assertThatThrownBy(() -> new RewardSpec("e", null, Duration.ofSeconds(-1))).hasMessageContaining("was PT-1S");
        assertThatThrownBy(() -> new RewardSpec("e", null, null)).hasMessageContaining("was null");
    }

    @Test
    void statusWireNames() {
        assertThat(ExperimentStatus.of("running")).isEqualTo(ExperimentStatus.RUNNING);
        assertThat(ExperimentStatus.of("paused")).isEqualTo(ExperimentStatus.PAUSED);
        assertThat(ExperimentStatus.of("stopped")).isEqualTo(ExperimentStatus.STOPPED);
        assertThatThrownBy(() -> ExperimentStatus.of("Running"))
                .hasMessage("unknown status 'Running', expected running, paused or stopped");
    }

    @Test
    void definitionLimitsAreInclusive() {
        ExperimentDefinition edge = ExperimentDefinition.builder("edge")
                .arms(List.of(new Arm("a", 0.5), new Arm("b", 0.509)))
                .coverage(0).holdoutPct(100).minArmShare(0.5).burnIn(0).build();
        assertThat(edge.weights()).containsExactly(0.5, 0.509);
        assertThat(edge.coverage()).isZero();
        assertThat(edge.holdoutPct()).isEqualTo(100.0);
        assertThat(edge.minArmShare()).isEqualTo(0.5);
        assertThat(edge.burnIn()).isZero();
        assertThat(ExperimentDefinition.builder("low").arms(List.of(new Arm("a", 0.5), new Arm("b", 0.491))).build()
                .weights()).containsExactly(0.5, 0.491);
        assertThat(ExperimentDefinition.builder("one").arms("a", "b").coverage(1).build().coverage()).isEqualTo(1.0);
        assertThat(ExperimentDefinition.builder("nofloor").arms("a", "b").minArmShare(0).build().minArmShare()).isZero();
    }

    @Test
    void definitionRefusesTheFirstValuePastEachLimit() {
        assertThatThrownBy(() -> ExperimentDefinition.builder("x")
                .arms(List.of(new Arm("a", 0.5), new Arm("b", 0.52))).build())
                .hasMessage("experiment 'x': arm weights must sum to 1 (± 0.01), sum to 1.02");
        assertThatThrownBy(() -> ExperimentDefinition.builder("x")
                .arms(List.of(new Arm("a", 0.5), new Arm("b", 0.48))).build())
                .hasMessageContaining("sum to 0.98");
        assertThatThrownBy(() -> ExperimentDefinition.builder("x").arms("a", "b").coverage(-0.01).build())
                .hasMessage("experiment 'x': coverage must be in [0, 1], was -0.01");
        assertThatThrownBy(() -> ExperimentDefinition.builder("x").arms("a", "b").holdoutPct(-1).build())
                .hasMessage("experiment 'x': holdout_pct must be in [0, 100] (percent), was -1.0");
        assertThatThrownBy(() -> ExperimentDefinition.builder("x").arms("a", "b").minArmShare(-0.01).build())
                .hasMessage("experiment 'x': min_arm_share must be in [0, 1/2] for 2 arms, was -0.01");
        assertThatThrownBy(() -> ExperimentDefinition.builder("x").arms("a", "b").minArmShare(0.51).build())
                .hasMessage("experiment 'x': min_arm_share must be in [0, 1/2] for 2 arms, was 0.51");
        assertThatThrownBy(() -> ExperimentDefinition.builder("x").arms("a", "b").burnIn(-1).build())
                .hasMessage("experiment 'x': burn_in must not be negative, was -1");
        assertThatThrownBy(() -> ExperimentDefinition.builder(null).arms("a", "b").build())
                .hasMessage("experiment_id must not be empty");
        assertThatThrownBy(() -> ExperimentDefinition.builder("x").arms((List<Arm>) null).build())
                .isInstanceOf(NullPointerException.class).hasMessage("arms");
        assertThatThrownBy(() -> ExperimentDefinition.builder("x").build())
                .hasMessage("experiment 'x': needs at least two arms, has 0");
    }

    @Test
    void analysisMustNameAnArmAndHaveSomethingToMeasure() {
        AnalysisSpec d = AnalysisSpec.DEFAULTS;
        AnalysisSpec controlB = new AnalysisSpec(d.method(), d.alpha(), d.relative(), d.sides(), d.sequentialTuning(),
                d.msprtTau2(), d.gstMaxN(), "b", d.primary(), d.guardrails());
        AnalysisSpec controlZ = new AnalysisSpec(d.method(), d.alpha(), d.relative(), d.sides(), d.sequentialTuning(),
                d.msprtTau2(), d.gstMaxN(), "z", d.primary(), d.guardrails());
        RewardSpec reward = new RewardSpec("Order Completed", null, Duration.ofDays(1));
        ExperimentDefinition ok = ExperimentDefinition.builder("x").arms("a", "b").reward(reward).analysis(controlB).build();
        assertThat(ok.analysisOrDefaults()).isSameAs(controlB);
        assertThatThrownBy(() -> ExperimentDefinition.builder("x").arms("a", "b").reward(reward).analysis(controlZ).build())
                .hasMessage("experiment 'x': analysis.control 'z' is not an arm");
        assertThatThrownBy(() -> ExperimentDefinition.builder("x").arms("a", "b").analysis(controlB).build())
                .hasMessage("experiment 'x': analysis needs analysis.primary or a reward to measure");
        ExperimentDefinition none = ExperimentDefinition.builder("x").arms("a", "b").build();
        assertThat(none.analysis()).isNull();
        assertThat(none.analysisOrDefaults()).isSameAs(AnalysisSpec.DEFAULTS);
    }

    @Test
    void nullsTakeTheNamedDefaultsAndEveryFieldIsKept() {
        Instant at = Instant.parse("2026-11-01T00:00:00Z");
        Namespace ns = new Namespace("ns", 0, 0.5);
        FrequencyCap cap = new FrequencyCap(2, Duration.ofHours(1));
        ExperimentDefinition d = new ExperimentDefinition("exp", null, "cart_abandoned", "email",
                ExperimentDefinition.equalArms("a", "b", "c", "d"), null, 0.5, null, "", ns, 5, null, cap, 0.02, 7, at,
                null, null);
        assertThat(d.status()).isEqualTo(ExperimentStatus.RUNNING);
        assertThat(d.policy()).isEqualTo(PolicyType.FIXED);
        assertThat(d.hashVersion()).isEqualTo(HashVersion.V1);
        assertThat(d.seed()).isEqualTo("exp");
        assertThat(d.weights()).containsExactly(0.25, 0.25, 0.25, 0.25);
        assertThat(d.namespaceSlice()).contains(ns);
        assertThat(ExperimentDefinition.builder("y").arms("a", "b").build().namespaceSlice()).isEmpty();
        ExperimentDefinition built = ExperimentDefinition.builder("exp").status(ExperimentStatus.PAUSED)
                .trigger("cart_abandoned").placement("email").arms("a", "b").policy(PolicyType.UCB1).coverage(0.5)
                .hashVersion(HashVersion.V2).seed("s").namespace(ns).holdoutPct(5).frequencyCap(cap).minArmShare(0.02)
                .burnIn(7).timestamp(at).build();
        assertThat(built).isEqualTo(new ExperimentDefinition("exp", ExperimentStatus.PAUSED, "cart_abandoned", "email",
                ExperimentDefinition.equalArms("a", "b"), PolicyType.UCB1, 0.5, HashVersion.V2, "s", ns, 5, null, cap,
                0.02, 7, at, null, null));
        assertThat(ExperimentDefinition.equalArms("a", "b", "c")).extracting(Arm::weight)
                .containsExactly(1.0 / 3, 1.0 / 3, 1.0 / 3);
    }
}
