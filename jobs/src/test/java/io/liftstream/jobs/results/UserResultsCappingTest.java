package io.liftstream.jobs.results;

import static io.liftstream.jobs.testkit.SegmentLines.MINUTE;
import static io.liftstream.jobs.testkit.SegmentLines.T0;
import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.junit.jupiter.api.Test;

/**
 * An absolute cap in the results job: each user's total is capped before the sums, and the job
 * keeps the raw total, so a refund after the cap lowers the user's value from the raw total
 * (min(150 − 100, 100) = 50), never from the capped one.
 */
class UserResultsCappingTest {
    static String definition() {
        return "{\"experiment_id\":\"e\",\"status\":\"running\",\"arms\":[{\"name\":\"control\"},{\"name\":\"treatment\"}],"
                + "\"reward\":{\"event\":\"Order Completed\",\"value\":\"conversion\",\"window\":\"PT1H\"},"
                + "\"analysis\":{\"guardrails\":[{\"name\":\"revenue\",\"event\":\"Order Completed\",\"value\":\"revenue\","
                + "\"window\":\"PT2H\",\"cap\":{\"type\":\"absolute\",\"value\":100}}]}}";
    }

    @Test
    void capsEachUsersTotalBeforeTheSums() throws Exception {
        var h = UserResultsFunctionTest.harness(new HashMapStateBackend(), null);
        h.processBroadcastElement(new DefinitionVersion("e", Long.MIN_VALUE, definition()), Long.MIN_VALUE);
        h.processElement(ResultsInput.exposure("u1", T0, "e", "control", false, "d1"), T0);
        h.processElement(UserResultsFunctionTest.order("u1", T0 + 10 * MINUTE, 150), T0 + 10 * MINUTE);
        h.processElement(UserResultsFunctionTest.order("u1", T0 + 20 * MINUTE, 30), T0 + 20 * MINUTE); // raw 180, capped 100
        h.processElement(UserResultsFunctionTest.order("u1", T0 + 30 * MINUTE, -100), T0 + 30 * MINUTE); // raw 80
        UserResultsFunctionTest.watermark(h, T0 + 40 * MINUTE);
        assertThat(h.extractOutputValues()).extracting(UserResultsFunctionTest::describe).containsExactly(
                T0 + " arm:control users+1",
                T0 + " arm:control reward 1.0/1.0",
                T0 + " arm:control revenue 100.0/10000.0", // 0 -> 100 (150 capped)
                T0 + " arm:control revenue -20.0/-3600.0"); // 100 -> 80: Σx −20, Σx² 6400 − 10000
        h.close();
    }
}
