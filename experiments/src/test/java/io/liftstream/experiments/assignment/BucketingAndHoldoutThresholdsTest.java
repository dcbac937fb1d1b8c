package io.liftstream.experiments.assignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * GrowthBook's bucket ranges at their edges (coverage clamped, invalid weights falling back to an
 * equal split, half-open ranges) and the holdout thresholds (the lowest pct% of positions).
 */
class BucketingAndHoldoutThresholdsTest {

    @Test
    void equalWeights() {
        assertThat(BucketRanges.equalWeights(0)).isEmpty();
        assertThat(BucketRanges.equalWeights(-2)).isEmpty();
        assertThat(BucketRanges.equalWeights(1)).containsExactly(1.0);
        assertThat(BucketRanges.equalWeights(4)).containsExactly(0.25, 0.25, 0.25, 0.25);
    }

    @Test
    void weightsAreValidWithinOnePercentOfOne() {
        assertThat(BucketRanges.validWeights(2, new double[] {0.5, 0.5})).isTrue();
        assertThat(BucketRanges.validWeights(2, new double[] {0.5, 0.49})).isTrue();
        assertThat(BucketRanges.validWeights(2, new double[] {0.5, 0.51})).isTrue();
        assertThat(BucketRanges.validWeights(2, new double[] {0.5, 0.48})).isFalse();
        assertThat(BucketRanges.validWeights(2, new double[] {0.5, 0.52})).isFalse();
        assertThat(BucketRanges.validWeights(3, new double[] {0.5, 0.5})).isFalse();
        assertThat(BucketRanges.validWeights(2, null)).isFalse();
    }

    @Test
    void rangesStartAtTheCumulativeWeightAndShrinkWithCoverage() {
        List<BucketRange> r = BucketRanges.of(2, 0.5, new double[] {0.25, 0.75});
        assertThat(r).containsExactly(new BucketRange(0, 0.125), new BucketRange(0.25, 0.625));
        assertThat(BucketRanges.of(2, 1, new double[] {0.25, 0.75}))
                .containsExactly(new BucketRange(0, 0.25), new BucketRange(0.25, 1.0));
    }

    @Test
    void coverageIsClampedToTheUnitInterval() {
        assertThat(BucketRanges.of(2, 3, null)).isEqualTo(BucketRanges.of(2, 1, null));
        assertThat(BucketRanges.of(2, -1, null)).containsExactly(new BucketRange(0, 0), new BucketRange(0.5, 0.5));
    }

    @Test
    void invalidWeightsFallBackToAnEqualSplit() {
        List<BucketRange> equal = List.of(new BucketRange(0, 0.5), new BucketRange(0.5, 1.0));
        assertThat(BucketRanges.of(2, 1, new double[] {0.9, 0.9})).isEqualTo(equal);
        assertThat(BucketRanges.of(2, 1, new double[] {1.0})).isEqualTo(equal);
        assertThat(BucketRanges.of(2, 1, null)).isEqualTo(equal);
    }

    @Test
    void aBucketOnARangeEndBelongsToTheNextRange() {
        List<BucketRange> r = BucketRanges.of(3, 1, new double[] {0.25, 0.25, 0.5});
        assertThat(BucketRanges.chooseVariation(0.0, r)).isZero();
        assertThat(BucketRanges.chooseVariation(0.2499, r)).isZero();
        assertThat(BucketRanges.chooseVariation(0.25, r)).isEqualTo(1);
        assertThat(BucketRanges.chooseVariation(0.5, r)).isEqualTo(2);
        assertThat(BucketRanges.chooseVariation(0.9999, r)).isEqualTo(2);
        assertThat(BucketRanges.chooseVariation(1.0, r)).isEqualTo(-1);
        List<BucketRange> half = BucketRanges.of(2, 0.5, null);
        assertThat(BucketRanges.chooseVariation(0.25, half)).isEqualTo(-1);
        assertThat(BucketRanges.chooseVariation(0.7499, half)).isEqualTo(1);
        assertThat(BucketRanges.chooseVariation(0.5, List.of())).isEqualTo(-1);
    }

    @Test
    void heldMeansStrictlyBelowThePercentage() {
        assertThat(Holdouts.held(0.0999, 10)).isTrue();
        assertThat(Holdouts.held(0.1, 10)).isFalse();
        assertThat(Holdouts.held(0.0, 0)).isFalse();
        assertThat(Holdouts.held(0.9999, 100)).isTrue();
        assertThat(Holdouts.experimentSeed("exp")).isEqualTo("__holdout__exp");
        assertThat(Holdouts.experimentPosition("exp", "u1")).isEqualTo(HashVersion.V2.hash("__holdout__exp", "u1"));
        assertThat(Holdouts.globalPosition("u1")).isEqualTo(HashVersion.V2.hash("__liftstream_global_holdout__", "u1"));
    }

    @Test
    void holdoutsOfZeroPercentHoldNobodyAndOfAHundredEverybody() {
        ExperimentDefinition none = ExperimentDefinition.builder("e").arms("a", "b").build();
        ExperimentDefinition all = ExperimentDefinition.builder("e").arms("a", "b").holdoutPct(100).build();
        ExperimentAssigner everyoneGlobal = new ExperimentAssigner(none, 100);
        ExperimentAssigner noGlobal = new ExperimentAssigner(none, 0);
        for (int i = 0; i < 500; i++) {
            String u = "u" + i;
            assertThat(Holdouts.inGlobalHoldout(u, 0)).isFalse();
            assertThat(Holdouts.inGlobalHoldout(u, 100)).isTrue();
            assertThat(Holdouts.inExperimentHoldout(none, u)).isFalse();
            assertThat(Holdouts.inExperimentHoldout(all, u)).isTrue();
            assertThat(everyoneGlobal.assign(u).inHoldout()).isTrue();
            assertThat(noGlobal.assign(u).inHoldout()).isFalse();
            assertThat(new ExperimentAssigner(all).assign(u).inHoldout()).isTrue();
        }
        // A user at global position p is held at any percentage above 100·p, and not at 100·p.
        String u = "u7";
        double p = Holdouts.globalPosition(u);
        assertThat(Holdouts.inGlobalHoldout(u, 100 * p + 0.01)).isTrue();
        assertThat(Holdouts.inGlobalHoldout(u, 100 * p - 0.01)).isFalse();
    }

    @Test
    void globalHoldoutPercentageIsValidated() {
        ExperimentDefinition def = ExperimentDefinition.builder("e").arms("a", "b").build();
        assertThat(new ExperimentAssigner(def, 0).ranges()).hasSize(2);
        assertThat(new ExperimentAssigner(def, 100).ranges()).containsExactly(new BucketRange(0, 0.5), new BucketRange(0.5, 1));
        assertThatThrownBy(() -> new ExperimentAssigner(def, -0.5))
                .hasMessage("global holdout must be in [0, 100] percent, was -0.5");
        assertThatThrownBy(() -> new ExperimentAssigner(def, 100.5))
                .hasMessage("global holdout must be in [0, 100] percent, was 100.5");
        assertThatThrownBy(() -> new ExperimentAssigner(def, Double.NaN)).hasMessageContaining("was NaN");
    }

    @Test
    void hashVersionsByNumber() {
        assertThat(HashVersion.of(1)).contains(HashVersion.V1);
        assertThat(HashVersion.of(2)).contains(HashVersion.V2);
        assertThat(HashVersion.of(3)).isEmpty();
        assertThat(HashVersion.of(0)).isEmpty();
        assertThat(HashVersion.V1.number).isEqualTo(1);
        assertThat(HashVersion.V2.number).isEqualTo(2);
        // cases.json hash: ("", "a", 1) → 0.22, ("b", "a", 1) → 0.946, ("seed", "a", 2) → 0.0505.
        assertThat(HashVersion.V1.hash("", "a")).isEqualTo(0.22);
        assertThat(HashVersion.V1.hash("b", "a")).isEqualTo(0.946);
        assertThat(HashVersion.V2.hash("seed", "a")).isEqualTo(0.0505);
    }

    @Test
    void decimalHashRefusesValuesOutsideThirtyTwoBits() {
        assertThat(Fnv1a32.hashDecimal(0xFFFFFFFFL)).isEqualTo(Fnv1a32.hash("4294967295"));
        assertThatThrownBy(() -> Fnv1a32.hashDecimal(-1)).hasMessage("expected an unsigned 32-bit value, was -1");
        assertThatThrownBy(() -> Fnv1a32.hashDecimal(0x1_0000_0000L))
                .hasMessage("expected an unsigned 32-bit value, was 4294967296");
    }
}
