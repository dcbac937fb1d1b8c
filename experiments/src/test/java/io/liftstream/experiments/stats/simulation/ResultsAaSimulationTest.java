package io.liftstream.experiments.stats.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.experiments.stats.Method;

import org.junit.jupiter.api.Test;

/**
 * A/A tests through the results job's per-look computation ({@code ResultsCalculator.compute} with
 * its {@code ResultsMemory}), a look per hourly result for a week (168 looks), 40 experiments of
 * 50 users per arm per look: the recommendations experimenters act on ({@code ship …}, {@code stop})
 * keep the always-valid methods at α, every record is consistent, and the fixed-horizon test, peeked
 * at every hour, reads significant in most A/A tests.
 */
class ResultsAaSimulationTest {
    private static ResultsAaSimulation.Settings settings(Method m) {
        return new ResultsAaSimulation.Settings(m, 40, 168, 50, 0.10, 0.05, 7);
    }

    /** α + 3 Monte Carlo SEs of a rate α over 40 experiments: 0.05 + 0.103. */
    private static final double ALLOWED = 0.05 + 3 * Math.sqrt(0.05 * 0.95 / 40);

    @Test
    void sequentialRecommendationsStayAtAlphaAndEveryRecordIsConsistent() {
        ResultsAaSimulation.Result r = ResultsAaSimulation.run(settings(Method.SEQUENTIAL));
        assertThat(r.falsePositiveRate()).isLessThanOrEqualTo(ALLOWED);
        assertThat(r.significantAtSomeLook() / 40.0).isLessThanOrEqualTo(ALLOWED);
        assertThat(r.inconsistentRecords()).isZero();
        // every experiment that was not stopped ran all its looks
        assertThat(r.records()).isGreaterThan((40L - r.falsePositives()) * 168);
    }

    /**
     * Fixed horizon, peeked at every hourly result: the records read {@code significant} in most A/A
     * tests at some look, which is why the job recommends {@code continue} until a fixed test is
     * stopped (so no ship or stop is recommended at all).
     */
    @Test
    void fixedHorizonPeekedHourlyIsSignificantInMostAaTestsAndNeverRecommendsActing() {
        ResultsAaSimulation.Result r = ResultsAaSimulation.run(settings(Method.FIXED));
        assertThat(r.significantAtSomeLook() / 40.0).isGreaterThan(0.3);
        assertThat(r.falsePositives()).isZero();
        assertThat(r.records()).isEqualTo(40L * 168);
        assertThat(r.inconsistentRecords()).isZero();
    }

    /** gst planned at the final total: nothing crosses more often than α, and the rest stop at the plan. */
    @Test
    void groupSequentialStopsAtThePlanWithoutAnEffect() {
        ResultsAaSimulation.Result r = ResultsAaSimulation.run(settings(Method.GST));
        assertThat(r.falsePositiveRate()).isLessThanOrEqualTo(ALLOWED);
        assertThat(r.falsePositives() + r.stoppedWithoutEffect()).isEqualTo(40);
        assertThat(r.inconsistentRecords()).isZero();
    }
}
