package io.liftstream.jobs.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.liftstream.experiments.assignment.ExperimentDefinition;
import io.liftstream.experiments.results.MetricSpec;

import org.junit.jupiter.api.Test;

/** A ratio metric's {@code denominator} in an experiment definition: read, written back, refused with reasons. */
class MetricDenominatorJsonTest {

    @Test
    void readsTheDenominatorAndWritesItBack() {
        ExperimentDefinition d = MetricCapAndCupedJsonTest.parse("{\"name\":\"per_order\",\"event\":\"Order Completed\","
                + "\"value\":\"revenue\",\"window\":\"P7D\",\"denominator\":{\"event\":\"Order Completed\",\"value\":\"conversion\"}}");
        MetricSpec m = d.analysis().guardrails().get(0);
        assertThat(m.denominator()).isEqualTo(new MetricSpec.Denominator("Order Completed", "conversion"));
        assertThat(m.isRatio()).isTrue();
        String json = ExperimentDefinitionJson.write(d);
        assertThat(json).contains("\"denominator\":{\"event\":\"Order Completed\",\"value\":\"conversion\"}");
        assertThat(ExperimentDefinitionJson.parse(json)).isEqualTo(d);
        // value defaults to conversion
        assertThat(MetricCapAndCupedJsonTest.parse("{\"name\":\"r\",\"event\":\"x\",\"value\":\"revenue\",\"window\":\"P1D\","
                + "\"denominator\":{\"event\":\"y\"}}").analysis().guardrails().get(0).denominator().value())
                .isEqualTo("conversion");
    }

    @Test
    void refusesCupedWithARatioAndMalformedDenominators() {
        assertThatThrownBy(() -> MetricCapAndCupedJsonTest.parse("{\"name\":\"r\",\"event\":\"x\",\"value\":\"revenue\","
                + "\"window\":\"P1D\",\"cuped\":{\"lookback\":\"P14D\"},\"denominator\":{\"event\":\"y\"}}"))
                .hasMessageContaining("analysis.guardrails[0]: metric 'r': a ratio metric (denominator) cannot use CUPED");
        assertThatThrownBy(() -> MetricCapAndCupedJsonTest.parse("{\"name\":\"r\",\"event\":\"x\",\"value\":\"revenue\","
                + "\"window\":\"P1D\",\"denominator\":{\"value\":\"items\"}}"))
                .hasMessageContaining("analysis.guardrails[0].denominator.event is required");
        assertThatThrownBy(() -> MetricCapAndCupedJsonTest.parse("{\"name\":\"r\",\"event\":\"x\",\"value\":\"revenue\","
                + "\"window\":\"P1D\",\"denominator\":{\"event\":\"y\",\"window\":\"P2D\"}}"))
                .hasMessageContaining("analysis.guardrails[0].denominator: unknown field 'window'");
        assertThatThrownBy(() -> MetricCapAndCupedJsonTest.parse("{\"name\":\"r\",\"event\":\"x\",\"value\":\"revenue\","
                + "\"window\":\"P1D\",\"denominator\":\"orders\"}"))
                .hasMessageContaining("analysis.guardrails[0].denominator must be an object");
    }
}
