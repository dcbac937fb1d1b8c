package io.liftstream.jobs.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.liftstream.experiments.assignment.ExperimentDefinition;
import io.liftstream.experiments.results.AnalysisSpec;
import io.liftstream.experiments.results.MetricSpec;
import io.liftstream.experiments.stats.Method;
import io.liftstream.experiments.stats.Sides;

import org.junit.jupiter.api.Test;

import java.time.Duration;

/** The {@code analysis} object of a definition: every field, defaults, nulls, and refusals naming the field. */
class AnalysisSpecJsonTest {
    private static final String BASE = "{\"experiment_id\":\"e\",\"arms\":[{\"name\":\"control\"},{\"name\":\"b\"}],"
            + "\"reward\":{\"event\":\"Order Completed\",\"value\":\"conversion\",\"window\":\"PT24H\"}";

    static ExperimentDefinition parse(String analysis) {
        return ExperimentDefinitionJson.parse(BASE + ",\"analysis\":" + analysis + "}");
    }

    @Test
    void readsEveryFieldAndWritesThemBack() {
        ExperimentDefinition d = parse("{\"method\":\"gst\",\"alpha\":0.01,\"relative\":false,\"sides\":\"greater\","
                + "\"sequential_tuning\":20000,\"msprt_tau2\":0.0001,\"gst_max_n\":100000,\"control\":\"b\","
                + "\"primary\":{\"name\":\"conversion\",\"event\":\"Order Completed\",\"value\":\"conversion\",\"window\":\"P1D\",\"desired\":\"increase\"},"
                + "\"guardrails\":[{\"name\":\"refunds\",\"event\":\"Order Refunded\",\"value\":\"conversion\",\"window\":\"P7D\",\"desired\":\"decrease\"}]}");
        AnalysisSpec a = d.analysis();
        assertThat(a.method()).isEqualTo(Method.GST);
        assertThat(a.alpha()).isEqualTo(0.01);
        assertThat(a.relative()).isFalse();
        assertThat(a.sides()).isEqualTo(Sides.GREATER);
        assertThat(a.sequentialTuning()).isEqualTo(20000);
        assertThat(a.msprtTau2()).isEqualTo(0.0001);
        assertThat(a.gstMaxN()).isEqualTo(100000);
        assertThat(a.control()).isEqualTo("b");
        assertThat(a.primary()).isEqualTo(new MetricSpec("conversion", "Order Completed", "conversion", Duration.ofDays(1),
                MetricSpec.Desired.INCREASE));
        assertThat(a.guardrails()).containsExactly(new MetricSpec("refunds", "Order Refunded", "conversion",
                Duration.ofDays(7), MetricSpec.Desired.DECREASE));
        assertThat(ExperimentDefinitionJson.parse(ExperimentDefinitionJson.write(d))).isEqualTo(d);
    }

    @Test
    void absentAndNullMeanDefaults() {
        AnalysisSpec a = parse("{\"method\":null,\"alpha\":null,\"primary\":null,\"guardrails\":null}").analysis();
        assertThat(a).isEqualTo(AnalysisSpec.DEFAULTS);
        assertThat(ExperimentDefinitionJson.parse(BASE + "}").analysisOrDefaults()).isEqualTo(AnalysisSpec.DEFAULTS);
    }

    @Test
    void refusesWhatWouldSilentlyChangeTheAnswer() {
        assertThatThrownBy(() -> parse("{\"methd\":\"gst\"}")).hasMessageContaining("analysis: unknown field 'methd'");
        assertThatThrownBy(() -> parse("{\"method\":\"gst\"}")).hasMessageContaining("gst_max_n is required");
        assertThatThrownBy(() -> parse("{\"method\":\"anova\"}")).hasMessageContaining("analysis.method must be");
        assertThatThrownBy(() -> parse("{\"control\":\"c\"}")).hasMessageContaining("analysis.control 'c' is not an arm");
        assertThatThrownBy(() -> parse("{\"guardrails\":[{\"name\":\"reward\",\"event\":\"x\",\"window\":\"P1D\"}]}"))
                .hasMessageContaining("'reward' repeats");
        assertThatThrownBy(() -> parse("{\"primary\":{\"event\":\"x\",\"window\":\"soon\"}}"))
                .hasMessageContaining("analysis.primary.window must be an ISO-8601 duration");
        assertThatThrownBy(() -> parse("{\"primary\":{\"event\":\"x\",\"window\":\"P1D\",\"desired\":\"up\"}}"))
                .hasMessageContaining("desired must be");
        assertThatThrownBy(() -> parse("{\"alpha\":1.5}")).hasMessageContaining("analysis.alpha must be in (0, 1)");
    }
}
