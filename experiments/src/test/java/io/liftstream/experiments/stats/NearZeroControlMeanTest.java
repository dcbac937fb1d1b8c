package io.liftstream.experiments.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * Issue 12, defect 12: a relative lift over a control mean near 0 (1/1000 against 120/1000) had
 * the delta-method interval [−117, 355], below −100 %, and no decision. Its numbers stay, flagged
 * {@link Status#RELATIVE_LIFT_UNRELIABLE}, and the comparison carries the absolute difference.
 */
class NearZeroControlMeanTest {
    private static final SampleStats CONTROL = SampleStats.of(1000, 1, 1);
    private static final SampleStats TREATMENT = SampleStats.of(1000, 120, 120);

    private static AnalysisResult.Comparison compare(Method method, SampleStats control, SampleStats treatment) {
        AnalysisRequest.Builder b = AnalysisRequest.builder().metric(MetricType.PROPORTION).method(method)
                .arms(List.of(ArmInput.of("control", control), ArmInput.of("treatment", treatment)));
        if (method == Method.GST) {
            b.gst(20_000, new long[0]);
        }
        return Analyzer.analyze(b.build()).comparisons().get(0);
    }

    @Test
    void theIssuesScenarioKeepsItsNumbersFlaggedAndAddsTheAbsoluteDifference() {
        AnalysisResult.Comparison c = compare(Method.FIXED, CONTROL, TREATMENT);
        assertThat(c.status()).isEqualTo(Status.RELATIVE_LIFT_UNRELIABLE);
        assertThat(c.status().ok()).isTrue();
        assertThat(c.status().reliable()).isFalse();
        // The relative numbers of the issue, kept.
        assertThat(c.expected()).isCloseTo(119.0, within(1e-9));
        assertThat(c.ciLower()).isCloseTo(-117.0, within(0.5));
        assertThat(c.ciUpper()).isCloseTo(355.0, within(0.5));
        assertThat(c.significant()).isFalse();
        // The absolute difference 0.119 is clear: se ≈ 0.0103.
        AnalysisResult.Comparison abs = c.absolute();
        assertThat(abs).isNotNull();
        assertThat(c.decision()).isSameAs(abs);
        assertThat(abs.status()).isEqualTo(Status.OK);
        assertThat(abs.expected()).isCloseTo(0.119, within(1e-12));
        assertThat(abs.ciLower()).isPositive();
        assertThat(abs.pValue()).isLessThan(1e-20);
        assertThat(abs.significant()).isTrue();
        assertThat(abs.absolute()).isNull();
        assertThat(EffectEstimator.fiellerG(ArmMoments.of(CONTROL, MetricType.PROPORTION))).isCloseTo(3.84, within(0.01));
    }

    /** Every method reports the flag and a consistent absolute comparison: significant ⇔ its interval excludes 0. */
    @ParameterizedTest
    @EnumSource(Method.class)
    void everyMethodFallsBackToTheAbsoluteDifference(Method method) {
        AnalysisResult.Comparison c = compare(method, CONTROL, TREATMENT);
        assertThat(c.status()).isEqualTo(Status.RELATIVE_LIFT_UNRELIABLE);
        AnalysisResult.Comparison abs = c.absolute();
        assertThat(abs.expected()).isCloseTo(0.119, within(1e-12));
        assertThat(abs.significant()).isTrue();
        assertThat(abs.ciLower() > 0 || abs.ciUpper() < 0).isTrue();
        assertThat(abs.ciLower()).isLessThanOrEqualTo(abs.ciUpper());
    }

    /**
     * The threshold: Fieller's g = (1.96 · se/mean)² ≥ 0.1 for the control mean. A 10 % rate is
     * flagged up to 345 control users (g = 34.6/n); 5 % of 10,000 users (g = 0.007) is far from it; an absolute
     * analysis is never flagged.
     */
    @Test
    void onlyAControlMeanNearZeroIsFlagged() {
        assertThat(compare(Method.FIXED, SampleStats.of(10_000, 500, 500), SampleStats.of(10_000, 560, 560)).status())
                .isEqualTo(Status.OK);
        assertThat(compare(Method.FIXED, SampleStats.of(340, 34, 34), SampleStats.of(340, 40, 40)).status())
                .isEqualTo(Status.RELATIVE_LIFT_UNRELIABLE);
        assertThat(compare(Method.FIXED, SampleStats.of(350, 35, 35), SampleStats.of(350, 40, 40)).status())
                .isEqualTo(Status.OK);
        AnalysisResult.Comparison absolute = Analyzer.analyze(AnalysisRequest.builder().metric(MetricType.PROPORTION)
                .method(Method.FIXED).relative(false)
                .arms(List.of(ArmInput.of("control", CONTROL), ArmInput.of("treatment", TREATMENT))).build())
                .comparisons().get(0);
        assertThat(absolute.status()).isEqualTo(Status.OK);
        assertThat(absolute.absolute()).isNull();
    }
}
