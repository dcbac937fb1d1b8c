package io.liftstream.jobs.analyze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.StringReader;
import java.io.StringWriter;

/** {@code analyze} lines for issue 12 defects 11 and 12: the comparison's status, its absolute comparison, the Bayesian thresholds. */
class AnalyzeNearZeroAndBayesianTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode analyze(String line) throws Exception {
        StringWriter out = new StringWriter();
        AnalyzeLines.run(new BufferedReader(new StringReader(line + "\n")), out);
        return MAPPER.readTree(out.toString().trim());
    }

    @Test
    void aControlMeanNearZeroIsFlaggedWithItsAbsoluteComparison() throws Exception {
        JsonNode r = analyze("{\"id\":1,\"metric\":\"proportion\",\"method\":\"fixed\",\"arms\":["
                + "{\"name\":\"control\",\"n\":1000,\"sum\":1},{\"name\":\"b\",\"n\":1000,\"sum\":120}]}");
        assertThat(r.get("status").asText()).isEqualTo("ok");
        JsonNode c = r.get("comparisons").get(0);
        assertThat(c.get("status").asText()).isEqualTo("relative_lift_unreliable");
        assertThat(c.get("expected").asDouble()).isCloseTo(119, within(1e-9));
        assertThat(c.get("ci_lower").asDouble()).isCloseTo(-117, within(0.5));
        assertThat(c.get("significant").asBoolean()).isFalse();
        JsonNode abs = c.get("absolute");
        assertThat(abs.get("arm").asText()).isEqualTo("b");
        assertThat(abs.get("expected").asDouble()).isCloseTo(0.119, within(1e-12));
        assertThat(abs.get("ci_lower").asDouble()).isPositive();
        assertThat(abs.get("significant").asBoolean()).isTrue();
        assertThat(abs.has("status")).isFalse();
    }

    @Test
    void anOrdinaryComparisonIsOkWithoutAbsolute() throws Exception {
        JsonNode c = analyze("{\"id\":2,\"metric\":\"proportion\",\"method\":\"fixed\",\"arms\":["
                + "{\"name\":\"control\",\"n\":10000,\"sum\":1000},{\"name\":\"b\",\"n\":10000,\"sum\":1100}]}")
                .get("comparisons").get(0);
        assertThat(c.get("status").asText()).isEqualTo("ok");
        assertThat(c.get("absolute").isNull()).isTrue();
    }

    @Test
    void bayesianThresholdsAreRequestFields() throws Exception {
        String arms = ",\"arms\":[{\"name\":\"control\",\"n\":10000,\"sum\":1000},{\"name\":\"b\",\"n\":10000,\"sum\":1074}]}";
        JsonNode c = analyze("{\"id\":3,\"metric\":\"proportion\",\"method\":\"bayesian\"" + arms).get("comparisons").get(0);
        assertThat(c.get("chance_to_win").asDouble()).isBetween(0.95, 0.975);
        assertThat(c.get("significant").asBoolean()).isTrue();
        JsonNode strict = analyze("{\"id\":4,\"metric\":\"proportion\",\"method\":\"bayesian\",\"confidence_level\":0.975"
                + arms).get("comparisons").get(0);
        assertThat(strict.get("significant").asBoolean()).isFalse();
        JsonNode riskAverse = analyze("{\"id\":5,\"metric\":\"proportion\",\"method\":\"bayesian\",\"win_risk\":0.0001"
                + arms).get("comparisons").get(0);
        assertThat(riskAverse.get("significant").asBoolean()).isFalse();
        JsonNode bad = analyze("{\"id\":6,\"metric\":\"proportion\",\"method\":\"bayesian\",\"confidence_level\":0.4" + arms);
        assertThat(bad.get("error").asText()).contains("confidence_level must be in (0.5, 1)");
    }
}
