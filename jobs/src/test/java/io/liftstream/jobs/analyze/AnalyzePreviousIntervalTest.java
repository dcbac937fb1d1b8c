package io.liftstream.jobs.analyze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

/**
 * Issue 12, defect 4, through {@code analyze}: the caller carries {@code previous_p_value} and
 * {@code previous_interval} from look to look; the answer's interval is the running intersection,
 * so p-value, interval and {@code significant} agree.
 */
class AnalyzePreviousIntervalTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static String request(long nc, long xc, long nt, long xt, String previous) {
        return "{\"id\":\"look\",\"metric\":\"proportion\",\"method\":\"sequential\","
                + "\"arms\":[{\"name\":\"control\",\"n\":" + nc + ",\"sum\":" + xc + "},"
                + "{\"name\":\"treatment\",\"n\":" + nt + ",\"sum\":" + xt + "}]" + previous + "}";
    }

    private static JsonNode answer(String line) throws Exception {
        return MAPPER.readTree(AnalyzeJson.answer(line));
    }

    @Test
    void theSecondLookOfTheScenarioReportsThatTheLooksDisagree() throws Exception {
        JsonNode first = answer(request(3000, 300, 3000, 420, "")).get("comparisons").get(0);
        assertThat(first.get("p_value").asDouble()).isCloseTo(0.0021527, within(1e-7));
        assertThat(first.get("significant").asBoolean()).isTrue();
        String carried = ",\"previous_p_value\":" + first.get("p_value").asDouble() + ",\"previous_interval\":["
                + first.get("ci_lower").asDouble() + "," + first.get("ci_upper").asDouble() + "]";
        // Without the interval the answer pairs the old p-value with the new interval (the defect).
        JsonNode pOnly = answer(request(30000, 3000, 30000, 2883,
                ",\"previous_p_value\":" + first.get("p_value").asDouble())).get("comparisons").get(0);
        assertThat(pOnly.get("significant").asBoolean()).isTrue();
        assertThat(pOnly.get("ci_lower").asDouble()).isNegative();
        assertThat(pOnly.get("ci_upper").asDouble()).isPositive();
        // With it: the intervals [+9.8 %, +70.2 %] and [−11.7 %, +3.9 %] do not overlap: a status.
        JsonNode second = answer(request(30000, 3000, 30000, 2883, carried));
        assertThat(second.get("status").asText()).isEqualTo("error");
        assertThat(second.get("error").asText()).contains("no longer overlap");
        assertThat(second.get("comparisons").get(0).get("significant").asBoolean()).isFalse();
        assertThat(second.get("comparisons").get(0).get("ci_lower").isNull()).isTrue();
    }

    @Test
    void anOverlappingLookReportsTheIntersectionOnTheSideOfTheCrossing() throws Exception {
        JsonNode second = answer(request(4000, 500, 4000, 490,
                ",\"previous_p_value\":0.0021527,\"previous_interval\":[0.0979574,0.7020426]"));
        JsonNode c = second.get("comparisons").get(0);
        assertThat(c.get("expected").asDouble()).isNegative();
        assertThat(c.get("ci_lower").asDouble()).isEqualTo(0.0979574);
        assertThat(c.get("ci_upper").asDouble()).isGreaterThan(0.0979574);
        assertThat(c.get("significant").asBoolean()).isTrue();
        assertThat(c.get("p_value").asDouble()).isEqualTo(0.0021527);
    }

    @Test
    void refusesAPreviousIntervalItCannotUse() throws Exception {
        assertThat(answer(request(100, 10, 100, 12, ",\"previous_interval\":[0.2,0.1]")).get("error").asText())
                .contains("ci_lower <= ci_upper");
        assertThat(answer(request(100, 10, 100, 12, ",\"previous_interval\":[0.1]")).get("error").asText())
                .contains("previous_interval must be");
        String fixed = request(100, 10, 100, 12, ",\"previous_interval\":[0.1,0.2]").replace("sequential", "fixed");
        assertThat(answer(fixed).get("error").asText()).contains("always-valid methods");
    }
}
