package io.liftstream.experiments.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.liftstream.experiments.stats.srm.SequentialSrm;

import org.junit.jupiter.api.Test;

import java.util.List;

/** Every check of {@link AnalysisRequest.Builder#build()}, each at its limit, with its message; and the defaults. */
class AnalysisRequestValidationTest {
    private static final List<ArmInput> TWO = List.of(ArmInput.of("c", SampleStats.of(100, 10, 10)),
            ArmInput.of("t", SampleStats.of(100, 12, 12)));
    private static final List<ArmInput> THREE = List.of(ArmInput.of("c", SampleStats.of(100, 10, 10)),
            ArmInput.of("t", SampleStats.of(100, 12, 12)), ArmInput.of("u", SampleStats.of(100, 14, 14)));

    private static AnalysisRequest.Builder valid() {
        return AnalysisRequest.builder().metric(MetricType.PROPORTION).method(Method.FIXED).arms(TWO);
    }

    @Test
    void defaultsOfTheAnalyzeContract() {
        AnalysisRequest r = valid().build();
        assertThat(r.alpha()).isEqualTo(0.05);
        assertThat(r.relative()).isTrue();
        assertThat(r.sides()).isEqualTo(Sides.TWO);
        assertThat(r.sequential().tuning()).isEqualTo(5000.0);
        assertThat(r.msprtTau2()).isNull();
        assertThat(r.previousPValues()).containsExactly(1.0);
        assertThat(r.control()).isZero();
        assertThat(r.weights()).containsExactly(1.0, 1.0);
        assertThat(r.correction()).isEqualTo(PValueCorrection.HOLM);
        assertThat(r.previousSequentialSrmPValue()).isEqualTo(1.0);
        assertThat(r.srmConcentration()).isEqualTo(SequentialSrm.DEFAULT_CONCENTRATION);
        assertThat(r.treatments()).isEqualTo(1);
        assertThat(r.gstMaxN()).isZero();
        assertThat(r.gstLooks()).isEmpty();
        assertThat(r.prior()).isEqualTo(io.liftstream.experiments.stats.bayesian.EffectPrior.FLAT);
        AnalysisRequest set = valid().sides(Sides.LESSER).prior(io.liftstream.experiments.stats.bayesian.EffectPrior.FLAT)
                .relative(false).alpha(0.1).correction(PValueCorrection.BENJAMINI_HOCHBERG).build();
        assertThat(set.sides()).isEqualTo(Sides.LESSER);
        assertThat(set.prior()).isEqualTo(io.liftstream.experiments.stats.bayesian.EffectPrior.FLAT);
        assertThat(set.relative()).isFalse();
        assertThat(set.alpha()).isEqualTo(0.1);
        assertThat(set.correction()).isEqualTo(PValueCorrection.BENJAMINI_HOCHBERG);
    }

    @Test
    void controlByNameAndOnePreviousPValueForEveryTreatment() {
        AnalysisRequest r = valid().arms(THREE).control("u").previousPValue(0.3).build();
        assertThat(r.control()).isEqualTo(2);
        assertThat(r.previousPValues()).containsExactly(0.3, 0.3);
        assertThat(r.treatments()).isEqualTo(2);
        assertThat(valid().arms(THREE).control("c").build().control()).isZero();
        assertThat(valid().arms(THREE).previousPValues(new double[] {0, 1}).build().previousPValues()).containsExactly(0, 1);
        assertThat(valid().previousPValue(0).build().previousPValues()).containsExactly(0.0);
    }

    @Test
    void requiredSettings() {
        assertThatThrownBy(() -> valid().metric(null).build()).hasMessage("metric is required");
        assertThatThrownBy(() -> valid().method(null).build()).hasMessage("method is required");
        assertThatThrownBy(() -> valid().arms(TWO.subList(0, 1)).build())
                .hasMessage("at least two arms are required (control and a treatment)");
    }

    @Test
    void alphaStrictlyBetweenZeroAndOne() {
        assertThat(valid().alpha(1e-9).build().alpha()).isEqualTo(1e-9);
        assertThat(valid().alpha(0.999).build().alpha()).isEqualTo(0.999);
        assertThatThrownBy(() -> valid().alpha(0).build()).hasMessage("alpha must be in (0, 1), was 0.0");
        assertThatThrownBy(() -> valid().alpha(1).build()).hasMessage("alpha must be in (0, 1), was 1.0");
    }

    @Test
    void msprtTau2MustBePositiveAndFinite() {
        assertThat(valid().msprtTau2(1e-12).build().msprtTau2()).isEqualTo(1e-12);
        assertThatThrownBy(() -> valid().msprtTau2(0.0).build()).hasMessage("msprt_tau2 must be positive, was 0.0");
        assertThatThrownBy(() -> valid().msprtTau2(Double.POSITIVE_INFINITY).build())
                .hasMessage("msprt_tau2 must be positive, was Infinity");
        assertThatThrownBy(() -> valid().sequentialTuning(0).build())
                .hasMessage("sequential_tuning must be a positive number, was 0.0");
    }

    @Test
    void armsNeedUniqueNamesAndAKnownControl() {
        assertThatThrownBy(() -> valid().control("x").build()).hasMessage("control arm 'x' is not among the arms");
        assertThatThrownBy(() -> valid().arms(List.of(TWO.get(0), ArmInput.of("c", SampleStats.of(1, 1, 1)))).build())
                .hasMessage("arm names must be unique: 'c' repeats");
        assertThatThrownBy(() -> valid().arms(List.of(TWO.get(0), ArmInput.of("", SampleStats.of(1, 1, 1)))).build())
                .hasMessage("every arm needs a name");
        assertThatThrownBy(() -> valid().arms(List.of(TWO.get(0), ArmInput.of(null, SampleStats.of(1, 1, 1)))).build())
                .hasMessage("every arm needs a name");
    }

    @Test
    void sufficientStatisticsAreChecked() {
        assertThatThrownBy(() -> valid().arms(List.of(TWO.get(0), ArmInput.of("t", SampleStats.of(-1, 0, 0)))).build())
                .hasMessage("arm 't': n must be non-negative");
        assertThat(valid().arms(List.of(TWO.get(0), ArmInput.of("t", SampleStats.of(0, 0, 0)))).build().arms()).hasSize(2);
        assertThatThrownBy(() -> valid().arms(List.of(TWO.get(0), ArmInput.of("t", SampleStats.of(5, Double.NaN, 1)))).build())
                .hasMessage("arm 't': sum and sum_squares must be finite numbers");
        assertThatThrownBy(() -> valid().arms(List.of(TWO.get(0), ArmInput.of("t", SampleStats.of(5, 1, Double.POSITIVE_INFINITY))))
                .build()).hasMessage("arm 't': sum and sum_squares must be finite numbers");
        // A proportion's sum from 0 to n inclusive.
        assertThat(valid().arms(List.of(TWO.get(0), ArmInput.of("t", SampleStats.of(5, 5, 5)))).build()).isNotNull();
        assertThat(valid().arms(List.of(TWO.get(0), ArmInput.of("t", SampleStats.of(5, 0, 0)))).build()).isNotNull();
        assertThatThrownBy(() -> valid().arms(List.of(TWO.get(0), ArmInput.of("t", SampleStats.of(5, 6, 6)))).build())
                .hasMessage("arm 't': a proportion's sum must be between 0 and n");
        assertThatThrownBy(() -> valid().arms(List.of(TWO.get(0), ArmInput.of("t", SampleStats.of(5, -1, 1)))).build())
                .hasMessage("arm 't': a proportion's sum must be between 0 and n");
        // A mean may be negative, its sum of squares not.
        AnalysisRequest.Builder mean = valid().metric(MetricType.MEAN);
        assertThat(mean.arms(List.of(TWO.get(0), ArmInput.of("t", SampleStats.of(5, -10, 0)))).build()).isNotNull();
        assertThatThrownBy(() -> valid().metric(MetricType.MEAN)
                .arms(List.of(TWO.get(0), ArmInput.of("t", SampleStats.of(5, 1, -0.5)))).build())
                .hasMessage("arm 't': sum_squares must be non-negative");
    }

    @Test
    void cupedOnEveryArmOrNone() {
        SampleStats post = SampleStats.of(3, 3, 5);
        CupedStats cuped = new CupedStats(post, SampleStats.of(3, 2, 2), 3);
        assertThatThrownBy(() -> valid().metric(MetricType.MEAN)
                .arms(List.of(new ArmInput("c", post, cuped), ArmInput.of("t", post))).build())
                .hasMessage("CUPED needs pre and sum_product on every arm or on none");
        assertThatThrownBy(() -> valid().metric(MetricType.MEAN)
                .arms(List.of(ArmInput.of("c", post), new ArmInput("t", post, cuped))).build())
                .hasMessage("CUPED needs pre and sum_product on every arm or on none");
        assertThat(valid().metric(MetricType.MEAN)
                .arms(List.of(new ArmInput("c", post, cuped), new ArmInput("t", post, cuped))).build().arms()).hasSize(2);
    }

    @Test
    void weightsOnePerArmNonNegativeAndNotAllZero() {
        assertThat(valid().weights(new double[] {0, 2}).build().weights()).containsExactly(0, 2);
        assertThatThrownBy(() -> valid().weights(new double[] {1}).build())
                .hasMessage("weights must have one entry per arm (2), had 1");
        assertThatThrownBy(() -> valid().weights(new double[] {1, -0.1}).build())
                .hasMessage("weights must be non-negative numbers");
        assertThatThrownBy(() -> valid().weights(new double[] {1, Double.POSITIVE_INFINITY}).build())
                .hasMessage("weights must be non-negative numbers");
        assertThatThrownBy(() -> valid().weights(new double[] {0, 0}).build()).hasMessage("weights must not all be 0");
        double[] w = {1, 3};
        AnalysisRequest r = valid().weights(w).build();
        w[0] = 9;
        assertThat(r.weights()).containsExactly(1, 3);
    }

    @Test
    void previousPValuesInTheUnitIntervalOnePerTreatment() {
        assertThatThrownBy(() -> valid().arms(THREE).previousPValues(new double[] {0.1, 0.2, 0.3}).build())
                .hasMessage("previous_p_value must be one number or one per treatment arm");
        assertThatThrownBy(() -> valid().previousPValue(1.01).build()).hasMessage("previous_p_value must be in [0, 1], was 1.01");
        assertThatThrownBy(() -> valid().previousPValue(-0.01).build()).hasMessage("previous_p_value must be in [0, 1], was -0.01");
        assertThat(valid().previousSequentialSrmPValue(0).build().previousSequentialSrmPValue()).isZero();
        assertThat(valid().previousSequentialSrmPValue(1).build().previousSequentialSrmPValue()).isEqualTo(1.0);
        assertThatThrownBy(() -> valid().previousSequentialSrmPValue(1.5).build())
                .hasMessage("previous_sequential_srm_p_value must be in [0, 1]");
        assertThatThrownBy(() -> valid().previousSequentialSrmPValue(-0.5).build())
                .hasMessage("previous_sequential_srm_p_value must be in [0, 1]");
        assertThatThrownBy(() -> valid().srmConcentration(0).build()).hasMessage("srm concentration must be positive");
        assertThat(valid().srmConcentration(0.5).build().srmConcentration()).isEqualTo(0.5);
    }

    @Test
    void groupSequentialNeedsAPlanWithIncreasingLooks() {
        AnalysisRequest.Builder gst = valid().method(Method.GST);
        assertThatThrownBy(gst::build).hasMessage("method gst needs gst.max_n");
        assertThatThrownBy(() -> valid().method(Method.GST).gst(0, new long[0]).build()).hasMessage("gst.max_n must be positive");
        assertThatThrownBy(() -> valid().method(Method.GST).gst(1000, new long[] {0}).build())
                .hasMessage("gst.looks_n must be positive");
        assertThatThrownBy(() -> valid().method(Method.GST).gst(1000, new long[] {100, 100}).build())
                .hasMessage("gst.looks_n must increase strictly");
        assertThatThrownBy(() -> valid().method(Method.GST).gst(1000, new long[] {100, 200, 150}).build())
                .hasMessage("gst.looks_n must increase strictly");
        AnalysisRequest ok = valid().method(Method.GST).gst(1000, new long[] {1, 2}).build();
        assertThat(ok.gstMaxN()).isEqualTo(1000);
        assertThat(ok.gstLooks()).containsExactly(1, 2);
        // The plan is only checked for gst.
        assertThat(valid().gst(0, new long[] {5, 5}).build().gstMaxN()).isZero();
    }
}
