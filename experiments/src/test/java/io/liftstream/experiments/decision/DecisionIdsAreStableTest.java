package io.liftstream.experiments.decision;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Decision ids and draw seeds are pinned values: a replay, another job version or another language
 * must publish the same id for the same request and experiment, and seed the same bandit draw.
 */
class DecisionIdsAreStableTest {

    @Test
    void decisionIdIsTheNameUuidOfRequestAndExperiment() {
        // UUID v3 of "liftstream-decision\0req-1\0exp-a" (UTF-8), computed once and pinned.
        assertThat(DecisionIds.decisionId("req-1", "exp-a")).isEqualTo("e28002c3-b4c4-37ea-bc44-fd8bb7ad09d0");
    }

    @Test
    void theSeparatorKeepsRequestAndExperimentApart() {
        assertThat(DecisionIds.decisionId("ab", "c")).isNotEqualTo(DecisionIds.decisionId("a", "bc"));
        assertThat(DecisionIds.decisionId("req-1", "exp-a")).isNotEqualTo(DecisionIds.decisionId("exp-a", "req-1"));
    }

    @Test
    void seedMixesBothHalvesOfTheUuid() {
        // msb = -2125695984544237590, lsb = -4880497319638922800: msb XOR rotl(lsb, 17).
        assertThat(DecisionIds.seed("e28002c3-b4c4-37ea-bc44-fd8bb7ad09d0")).isEqualTo(1844063079137365859L);
        long msb = -2125695984544237590L;
        long lsb = -4880497319638922800L;
        assertThat(DecisionIds.seed("e28002c3-b4c4-37ea-bc44-fd8bb7ad09d0")).isEqualTo(msb ^ Long.rotateLeft(lsb, 17));
    }
}
