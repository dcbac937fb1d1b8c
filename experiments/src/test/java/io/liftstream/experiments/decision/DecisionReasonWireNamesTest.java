package io.liftstream.experiments.decision;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

/** The JSON names of the reasons, and which reasons count as an exposure of the arm. */
class DecisionReasonWireNamesTest {

    @Test
    void wireNamesAreTheDocumentedOnes() {
        assertThat(Arrays.stream(DecisionReason.values()).map(r -> r.wireName)).containsExactly("assigned", "sticky",
                "holdout", "consent", "suppressed", "capped", "paused", "unknown_experiment", "fallback");
    }

    @Test
    void onlyAssignedAndStickyAreTreated() {
        for (DecisionReason r : DecisionReason.values()) {
            assertThat(r.treated()).as(r.wireName).isEqualTo(r == DecisionReason.ASSIGNED || r == DecisionReason.STICKY);
        }
    }
}
