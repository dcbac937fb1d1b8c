package io.liftstream.jobs.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.liftstream.experiments.assignment.ExperimentDefinition;
import io.liftstream.experiments.results.MetricSpec;
import io.liftstream.experiments.stats.Capping;

import org.junit.jupiter.api.Test;

import java.time.Duration;

/** A metric's {@code cap} and {@code cuped} in an experiment definition: read, written back, refused with reasons. */
class MetricCapAndCupedJsonTest {

    static ExperimentDefinition parse(String guardrail) {
        return AnalysisSpecJsonTest.parse("{\"guardrails\":[" + guardrail + "]}");
    }

    @Test
    void readsCapAndCupedAndWritesThemBack() {
        ExperimentDefinition d = parse("{\"name\":\"revenue\",\"event\":\"Order Completed\",\"value\":\"revenue\","
                + "\"window\":\"P7D\",\"cap\":{\"type\":\"absolute\",\"value\":500},\"cuped\":{\"lookback\":\"P14D\"}}");
        MetricSpec m = d.analysis().guardrails().get(0);
        assertThat(m.cap()).isEqualTo(Capping.absolute(500));
        assertThat(m.cupedLookback()).isEqualTo(Duration.ofDays(14));
        String json = ExperimentDefinitionJson.write(d);
        assertThat(json).contains("\"cap\":{\"type\":\"absolute\",\"value\":500.0}", "\"cuped\":{\"lookback\":\"PT336H\"}");
        assertThat(ExperimentDefinitionJson.parse(json)).isEqualTo(d);
        // Absent or null: no cap, no CUPED.
        MetricSpec plain = parse("{\"name\":\"r\",\"event\":\"x\",\"value\":\"revenue\",\"window\":\"P1D\",\"cap\":null}")
                .analysis().guardrails().get(0);
        assertThat(plain.cap()).isNull();
        assertThat(plain.cupedLookback()).isNull();
    }

    @Test
    void refusesWhatTheResultsJobCannotDo() {
        assertThatThrownBy(() -> parse("{\"name\":\"r\",\"event\":\"x\",\"value\":\"revenue\",\"window\":\"P1D\","
                + "\"cap\":{\"type\":\"percentile\",\"value\":0.99}}"))
                .hasMessageContaining("analysis.guardrails[0]: metric 'r': the results job supports an absolute cap only");
        assertThatThrownBy(() -> parse("{\"name\":\"r\",\"event\":\"x\",\"value\":\"revenue\",\"window\":\"P1D\","
                + "\"cap\":{\"type\":\"absolute\",\"value\":-1}}"))
                .hasMessageContaining("analysis.guardrails[0].cap: cap.value of an absolute cap must be a positive number");
        assertThatThrownBy(() -> parse("{\"name\":\"r\",\"event\":\"x\",\"value\":\"revenue\",\"window\":\"P1D\","
                + "\"cap\":{\"type\":\"absolute\",\"value\":5,\"max\":3}}"))
                .hasMessageContaining("analysis.guardrails[0].cap: unknown field 'max'");
        assertThatThrownBy(() -> parse("{\"name\":\"r\",\"event\":\"x\",\"value\":\"revenue\",\"window\":\"P1D\","
                + "\"cuped\":{\"lookback\":\"two weeks\"}}"))
                .hasMessageContaining("analysis.guardrails[0].cuped.lookback must be an ISO-8601 duration such as P14D");
        assertThatThrownBy(() -> parse("{\"name\":\"r\",\"event\":\"x\",\"value\":\"revenue\",\"window\":\"P1D\","
                + "\"cuped\":{}}"))
                .hasMessageContaining("analysis.guardrails[0].cuped.lookback is required");
        assertThatThrownBy(() -> parse("{\"name\":\"r\",\"event\":\"x\",\"value\":\"revenue\",\"window\":\"P1D\","
                + "\"cuped\":{\"lookback\":\"PT90M\"}}"))
                .hasMessageContaining("cuped.lookback must be whole days (P14D) or whole hours (PT36H)");
    }
}
