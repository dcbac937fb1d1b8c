package io.liftstream.jobs.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.liftstream.experiments.assignment.ExperimentDefinition;
import io.liftstream.experiments.results.AnalysisSpec;
import io.liftstream.experiments.stats.bayesian.EffectPrior;

import org.junit.jupiter.api.Test;

/** The Bayesian settings of the {@code analysis} object (issue 12, defect 11): GrowthBook's names and defaults. */
class AnalysisSpecJsonBayesianTest {

    @Test
    void readsThePriorAndThresholdsAndWritesThemBack() {
        ExperimentDefinition d = AnalysisSpecJsonTest.parse("{\"method\":\"bayesian\",\"prior_proper\":true,"
                + "\"prior_mean\":0.01,\"prior_stddev\":0.2,\"confidence_level\":0.9,\"win_risk\":0.001}");
        AnalysisSpec a = d.analysis();
        assertThat(a.prior()).isEqualTo(EffectPrior.relative(true, 0.01, 0.2));
        assertThat(a.prior().variance()).isCloseTo(0.04, within(1e-15));
        assertThat(a.prior().onRelativeLift()).isTrue();
        assertThat(a.confidenceLevel()).isEqualTo(0.9);
        assertThat(a.winRisk()).isEqualTo(0.001);
        assertThat(ExperimentDefinitionJson.parse(ExperimentDefinitionJson.write(d))).isEqualTo(d);
    }

    @Test
    void aProperPriorDefaultsToGrowthBooksNormalZeroPointThree() {
        AnalysisSpec a = AnalysisSpecJsonTest.parse("{\"method\":\"bayesian\",\"prior_proper\":true}").analysis();
        assertThat(a.prior()).isEqualTo(EffectPrior.relative(true, 0, 0.3));
        AnalysisSpec flat = AnalysisSpecJsonTest.parse("{\"method\":\"bayesian\"}").analysis();
        assertThat(flat.prior()).isNull();
        assertThat(flat.priorOrFlat()).isEqualTo(EffectPrior.FLAT);
        assertThat(flat.confidenceLevel()).isNull();
        assertThat(flat.winRisk()).isNull();
    }

    @Test
    void refusesBadValuesNamingTheField() {
        assertThatThrownBy(() -> AnalysisSpecJsonTest.parse("{\"method\":\"bayesian\",\"prior_stddev\":0}"))
                .hasMessageContaining("analysis.prior_stddev must be positive");
        assertThatThrownBy(() -> AnalysisSpecJsonTest.parse("{\"method\":\"bayesian\",\"prior_proper\":\"yes\"}"))
                .hasMessageContaining("analysis.prior_proper must be true or false");
        assertThatThrownBy(() -> AnalysisSpecJsonTest.parse("{\"method\":\"bayesian\",\"confidence_level\":95}"))
                .hasMessageContaining("analysis.confidence_level must be in (0.5, 1)");
        assertThatThrownBy(() -> AnalysisSpecJsonTest.parse("{\"method\":\"bayesian\",\"win_risk\":-1}"))
                .hasMessageContaining("analysis.win_risk must be a non-negative number");
        assertThatThrownBy(() -> AnalysisSpecJsonTest.parse("{\"prior_proper\":true}"))
                .hasMessageContaining("apply to method bayesian only");
    }
}
