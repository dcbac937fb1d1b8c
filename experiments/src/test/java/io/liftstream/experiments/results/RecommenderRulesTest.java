package io.liftstream.experiments.results;

import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.experiments.assignment.ExperimentDefinition;
import io.liftstream.experiments.assignment.ExperimentStatus;
import io.liftstream.experiments.assignment.RewardSpec;
import io.liftstream.experiments.stats.AnalysisResult;
import io.liftstream.experiments.stats.AnalysisResult.ArmSummary;
import io.liftstream.experiments.stats.AnalysisResult.Comparison;
import io.liftstream.experiments.stats.Method;
import io.liftstream.experiments.stats.Sides;
import io.liftstream.experiments.stats.Status;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

/**
 * {@link Recommender}'s rules one by one, in their order, on hand-made analyses (the numbers are
 * what the analyses would report; the rules only read them): each rule's boundary, which rule wins
 * when several apply, and the reason sentence with its numbers.
 */
class RecommenderRulesTest {
    private static final RewardSpec REWARD = new RewardSpec("Order Completed", "conversion", Duration.ofDays(1));
    private static final MetricSpec LATENCY = new MetricSpec("latency", "Page Loaded", "ms", Duration.ofDays(1),
            MetricSpec.Desired.DECREASE);
    private static final List<ArmSummary> ARMS = List.of(new ArmSummary("control", 1000, 0.1, 0.09),
            new ArmSummary("b", 1000, 0.12, 0.1), new ArmSummary("c", 1000, 0.11, 0.1));

    private static ExperimentDefinition definition(Method method, ExperimentStatus status, long gstMaxN,
            MetricSpec primary, List<MetricSpec> guardrails, String control) {
        return ExperimentDefinition.builder("e").arms("control", "b", "c").reward(REWARD).status(status)
                .analysis(new AnalysisSpec(method, 0.05, true, Sides.TWO, 5000, null, gstMaxN, control, primary,
                        guardrails))
                .build();
    }

    private static ExperimentDefinition running(Method method) {
        return definition(method, ExperimentStatus.RUNNING, method == Method.GST ? 5000 : 0, null, List.of(), null);
    }

    /** A frequentist comparison: relative lift {@code lift} with interval [lo, hi] and adjusted p. */
    private static Comparison cmp(String arm, double lift, double lo, double hi, double p, boolean significant) {
        return new Comparison(arm, Status.OK, lift, 0.01, lo, hi, p, p, Double.NaN, Double.NaN, Double.NaN, significant);
    }

    private static Comparison flat(String arm, double p) {
        return cmp(arm, 0.01, -0.05, 0.07, p, false);
    }

    private static AnalysisResult analysis(double sequentialSrm, Comparison... comparisons) {
        return new AnalysisResult(null, 0.5, sequentialSrm, ARMS, List.of(comparisons));
    }

    private static Recommendation recommend(ExperimentDefinition d, AnalysisResult primary,
            ExperimentResult.Guardrail... guardrails) {
        MetricSpec metric = ExperimentMetrics.of(d).get(0);
        return Recommender.recommend(d, new ExperimentResult(metric, primary, List.of(guardrails), null, 0, null), true);
    }

    @Test
    void srmAtTheThresholdIsInvestigatedAboveItNot() {
        ExperimentDefinition d = running(Method.SEQUENTIAL);
        Recommendation at = recommend(d, analysis(0.001, cmp("b", 0.2, 0.1, 0.3, 1e-6, true), flat("c", 0.5)));
        assertThat(at.action()).isEqualTo(Recommendation.INVESTIGATE_SRM);
        assertThat(at.reason()).isEqualTo("sample ratio mismatch: sequential SRM p = 0.001000 <= 0.001000 against the "
                + "weights in force (users: control 1000, b 1000, c 1000)");
        assertThat(recommend(d, analysis(0.0011, cmp("b", 0.2, 0.1, 0.3, 1e-6, true), flat("c", 0.5))).action())
                .isEqualTo("ship b");
        // Adaptive allocation: the SRM does not apply, whatever its value.
        MetricSpec metric = ExperimentMetrics.of(d).get(0);
        Recommendation adaptive = Recommender.recommend(d, new ExperimentResult(metric,
                analysis(1e-9, cmp("b", 0.2, 0.1, 0.3, 1e-6, true), flat("c", 0.5)), List.of(), null, 0, null), false);
        assertThat(adaptive.action()).isEqualTo("ship b");
    }

    @Test
    void withoutNumbersItWaitsOrSaysTheLooksDisagree() {
        ExperimentDefinition d = running(Method.SEQUENTIAL);
        Recommendation disagree = recommend(d, analysis(0.5, Comparison.failed("b", Status.TOO_FEW_UNITS),
                Comparison.failed("c", Status.LOOKS_DISAGREE)));
        assertThat(disagree.action()).isEqualTo(Recommendation.CONTINUE);
        assertThat(disagree.reason()).startsWith("no decision on 'reward': arm 'c': " + Status.LOOKS_DISAGREE.reason())
                .endsWith("; investigate before acting (users: control 1000, b 1000, c 1000)");
        Recommendation waiting = recommend(d, analysis(0.5, Comparison.failed("b", Status.TOO_FEW_UNITS),
                Comparison.failed("c", Status.TOO_FEW_UNITS)));
        assertThat(waiting).isEqualTo(new Recommendation(Recommendation.CONTINUE, "waiting for data: no comparison yet"));
        AnalysisResult withError = new AnalysisResult("arm 'b': too few", 0.5, 0.5, ARMS,
                List.of(Comparison.failed("b", Status.TOO_FEW_UNITS)));
        assertThat(recommend(d, withError).reason()).isEqualTo("waiting for data: arm 'b': too few");
    }

    /** Fixed and bayesian are read once, when stopped; then their significant results act. */
    @Test
    void fixedAndBayesianActOnlyWhenStopped() {
        AnalysisResult winner = analysis(0.5, cmp("b", 0.2, 0.1, 0.3, 1e-6, true), flat("c", 0.5));
        for (Method m : new Method[] {Method.FIXED, Method.BAYESIAN}) {
            Recommendation live = recommend(running(m), winner);
            assertThat(live.action()).as("%s", m).isEqualTo(Recommendation.CONTINUE);
            assertThat(live.reason()).as("%s", m).startsWith(m == Method.FIXED ? "fixed-horizon test" : "bayesian:");
            Recommendation stopped = recommend(definition(m, ExperimentStatus.STOPPED, 0, null, List.of(), null), winner);
            assertThat(stopped.action()).as("%s", m).isEqualTo("ship b");
        }
    }

    /** A guardrail worse in its desired direction stops (even with a primary winner); better does not. */
    @Test
    void aGuardrailWorseInItsDesiredDirectionStops() {
        ExperimentDefinition d = definition(Method.SEQUENTIAL, ExperimentStatus.RUNNING, 0, null, List.of(LATENCY), null);
        AnalysisResult winner = analysis(0.5, cmp("b", 0.2, 0.1, 0.3, 1e-6, true), flat("c", 0.5));
        AnalysisResult slower = analysis(0.5, flat("b", 0.4), cmp("c", 0.05, 0.01, 0.09, 0.001, true));
        Recommendation stop = recommend(d, winner, new ExperimentResult.Guardrail(LATENCY, slower));
        assertThat(stop.action()).isEqualTo(Recommendation.STOP);
        assertThat(stop.reason()).isEqualTo("guardrail 'latency' is significantly worse in arm 'c': "
                + "lift +5.00%, interval [+1.00%, +9.00%], p = 0.001000");
        AnalysisResult faster = analysis(0.5, flat("b", 0.4), cmp("c", -0.05, -0.09, -0.01, 0.001, true));
        assertThat(recommend(d, winner, new ExperimentResult.Guardrail(LATENCY, faster)).action()).isEqualTo("ship b");
        // Worse but not significant: no stop.
        AnalysisResult notSignificant = analysis(0.5, flat("b", 0.4), cmp("c", 0.05, -0.01, 0.11, 0.08, false));
        assertThat(recommend(d, winner, new ExperimentResult.Guardrail(LATENCY, notSignificant)).action())
                .isEqualTo("ship b");
        // A guardrail comparison without numbers is no evidence.
        AnalysisResult failed = analysis(0.5, Comparison.failed("b", Status.TOO_FEW_UNITS), flat("c", 0.5));
        assertThat(recommend(d, winner, new ExperimentResult.Guardrail(LATENCY, failed)).action()).isEqualTo("ship b");
    }

    /** Of several significant winners the largest lift ships; for a decrease metric the most negative. */
    @Test
    void theLargestSignificantImprovementShips() {
        ExperimentDefinition d = running(Method.SEQUENTIAL);
        Recommendation r = recommend(d, analysis(0.5, cmp("b", 0.10, 0.02, 0.18, 1e-4, true),
                cmp("c", 0.30, 0.05, 0.55, 1e-3, true)));
        assertThat(r.action()).isEqualTo("ship c");
        assertThat(r.reason()).isEqualTo("arm 'c' is significantly better than control on 'reward': "
                + "lift +30.00%, interval [+5.00%, +55.00%], p = 0.001000");
        assertThat(recommend(d, analysis(0.5, cmp("b", 0.30, 0.05, 0.55, 1e-3, true),
                cmp("c", 0.10, 0.02, 0.18, 1e-4, true))).action()).isEqualTo("ship b");
        ExperimentDefinition lower = definition(Method.SEQUENTIAL, ExperimentStatus.RUNNING, 0, LATENCY, List.of(), null);
        assertThat(recommend(lower, analysis(0.5, cmp("b", -0.10, -0.18, -0.02, 1e-4, true),
                cmp("c", -0.30, -0.55, -0.05, 1e-3, true))).action()).isEqualTo("ship c");
        assertThat(recommend(lower, analysis(0.5, cmp("b", -0.30, -0.55, -0.05, 1e-3, true),
                cmp("c", -0.10, -0.18, -0.02, 1e-4, true))).action()).isEqualTo("ship b");
    }

    /**
     * Direction comes from the interval of a significant comparison, not the estimate: an interval
     * above 0 is better even if the latest estimate is negative, and one below 0 is worse.
     */
    @Test
    void theIntervalNotTheEstimateGivesTheDirection() {
        MetricSpec up = ExperimentMetrics.of(running(Method.SEQUENTIAL)).get(0);
        assertThat(Recommender.better(cmp("b", -0.01, 0.001, 0.05, 0.01, true), up)).isTrue();
        assertThat(Recommender.better(cmp("b", 0.01, -0.05, -0.001, 0.01, true), up)).isFalse();
        assertThat(Recommender.better(cmp("b", 0.01, -0.05, 0.07, 0.3, false), up)).isTrue();
        assertThat(Recommender.better(cmp("b", -0.01, -0.07, 0.05, 0.3, false), up)).isFalse();
        assertThat(Recommender.better(cmp("b", 0.0, -0.07, 0.07, 1.0, false), up)).isFalse();
        assertThat(Recommender.better(cmp("b", 0.0, -0.07, 0.07, 1.0, false), LATENCY)).isFalse();
        assertThat(Recommender.better(cmp("b", -0.01, 0.001, 0.05, 0.01, true), LATENCY)).isFalse();
        assertThat(Recommender.better(cmp("b", 0.01, -0.05, -0.001, 0.01, true), LATENCY)).isTrue();
        // An interval touching 0 (not excluding it) leaves the estimate's sign.
        assertThat(Recommender.better(cmp("b", -0.01, 0.0, 0.05, 0.05, true), up)).isFalse();
        assertThat(Recommender.better(cmp("b", 0.01, -0.05, 0.0, 0.05, true), up)).isTrue();
    }

    /** Stop when every treatment is significantly worse; one worse and one undecided continues. */
    @Test
    void everyTreatmentWorseStopsOneWorseContinues() {
        ExperimentDefinition d = running(Method.SEQUENTIAL);
        Recommendation all = recommend(d, analysis(0.5, cmp("b", -0.2, -0.3, -0.1, 1e-4, true),
                cmp("c", -0.1, -0.15, -0.05, 1e-3, true)));
        assertThat(all).isEqualTo(new Recommendation(Recommendation.STOP,
                "every treatment is significantly worse than control on 'reward': keep control"));
        Recommendation one = recommend(d, analysis(0.5, cmp("b", -0.2, -0.3, -0.1, 1e-4, true), flat("c", 0.4)));
        assertThat(one.action()).isEqualTo(Recommendation.CONTINUE);
        // A significant winner beats a significant loser.
        assertThat(recommend(d, analysis(0.5, cmp("b", -0.2, -0.3, -0.1, 1e-4, true),
                cmp("c", 0.1, 0.05, 0.15, 1e-3, true))).action()).isEqualTo("ship c");
    }

    /** gst: a pair (its treatment and the control only) at or past gst_max_n without crossing stops. */
    @Test
    void gstStopsWhenAPairReachesItsPlannedSize() {
        ExperimentDefinition d = definition(Method.GST, ExperimentStatus.RUNNING, 2000, null, List.of(), null);
        Recommendation at = recommend(d, analysis(0.5, flat("b", 0.3), flat("c", 0.4)));
        assertThat(at).isEqualTo(new Recommendation(Recommendation.STOP, "gst: arm 'b' and control reached the planned "
                + "2000 users (2000) without crossing the boundary: no effect of the planned size"));
        ExperimentDefinition larger = definition(Method.GST, ExperimentStatus.RUNNING, 2001, null, List.of(), null);
        assertThat(recommend(larger, analysis(0.5, flat("b", 0.3), flat("c", 0.4))).action())
                .isEqualTo(Recommendation.CONTINUE);
        // With "b" as the control, the pair of arm "c" is b + c; arm "control" is then a treatment.
        List<ArmSummary> arms = List.of(new ArmSummary("control", 5000, 0.1, 0.09), new ArmSummary("b", 1000, 0.1, 0.09),
                new ArmSummary("c", 1001, 0.1, 0.09));
        ExperimentDefinition bControl = definition(Method.GST, ExperimentStatus.RUNNING, 2001, null, List.of(), "b");
        AnalysisResult r = new AnalysisResult(null, 0.5, 0.5, arms, List.of(flat("c", 0.3)));
        assertThat(recommend(bControl, r).reason()).contains("arm 'c' and control reached the planned 2001 users (2001)");
        ExperimentDefinition bControl2002 = definition(Method.GST, ExperimentStatus.RUNNING, 2002, null, List.of(), "b");
        assertThat(recommend(bControl2002, r).action()).isEqualTo(Recommendation.CONTINUE);
        // Not gst: the size does not stop anything.
        assertThat(recommend(running(Method.SEQUENTIAL), analysis(0.5, flat("b", 0.3), flat("c", 0.4))).action())
                .isEqualTo(Recommendation.CONTINUE);
    }

    @Test
    void aStoppedExperimentWithoutSignificanceKeepsControl() {
        ExperimentDefinition d = definition(Method.SEQUENTIAL, ExperimentStatus.STOPPED, 0, null, List.of(), null);
        assertThat(recommend(d, analysis(0.5, flat("b", 0.3), flat("c", 0.4)))).isEqualTo(new Recommendation(
                Recommendation.STOP, "the experiment is stopped with no significant difference on 'reward': keep control"));
    }

    /** Otherwise continue, naming the arm closest to significance (smallest adjusted p, or chance to win furthest from ½). */
    @Test
    void continueNamesTheClosestArm() {
        ExperimentDefinition d = running(Method.SEQUENTIAL);
        Recommendation r = recommend(d, analysis(0.5, flat("b", 0.30), flat("c", 0.20)));
        assertThat(r).isEqualTo(new Recommendation(Recommendation.CONTINUE, "no significant difference yet on 'reward' "
                + "(closest: arm 'c', lift +1.00%, interval [-5.00%, +7.00%], p = 0.2000; users: control 1000, b 1000, c 1000)"));
        assertThat(recommend(d, analysis(0.5, flat("b", 0.20), flat("c", 0.30))).reason()).contains("closest: arm 'b'");
        assertThat(recommend(d, analysis(0.5, flat("b", 0.20), flat("c", 0.20))).reason()).contains("closest: arm 'b'");
        // Bayesian (stopped here so it is read): chance to win, distance from ½ either way.
        Comparison b = new Comparison("b", Status.OK, 0.01, 0.01, -0.01, 0.03, Double.NaN, Double.NaN, 0.30, 0.01, 0.01,
                false);
        Comparison c = new Comparison("c", Status.OK, 0.01, 0.01, -0.01, 0.03, Double.NaN, Double.NaN, 0.75, 0.01, 0.01,
                false);
        ExperimentDefinition bayes = definition(Method.BAYESIAN, ExperimentStatus.RUNNING, 0, null, List.of(), null);
        MetricSpec metric = ExperimentMetrics.of(bayes).get(0);
        // Running bayesian continues before naming anything; the strength rule is the same when read:
        Recommendation stoppedBayes = Recommender.recommend(
                definition(Method.BAYESIAN, ExperimentStatus.STOPPED, 0, null, List.of(), null),
                new ExperimentResult(metric, analysis(0.5, b, c), List.of(), null, 0, null), true);
        assertThat(stoppedBayes.action()).isEqualTo(Recommendation.STOP);
        assertThat(Recommender.decisive(b)).isFalse();
    }

    /** The closest arm among Bayesian comparisons, through the continue rule of a running sequential-like read. */
    @Test
    void chanceToWinStrengthIsItsDistanceFromOneHalf() {
        ExperimentDefinition d = running(Method.SEQUENTIAL);
        Comparison b = new Comparison("b", Status.OK, -0.01, 0.01, -0.03, 0.01, Double.NaN, Double.NaN, 0.20, 0.01, 0.01,
                false);
        Comparison c = new Comparison("c", Status.OK, 0.01, 0.01, -0.01, 0.03, Double.NaN, Double.NaN, 0.75, 0.01, 0.01,
                false);
        Recommendation r = recommend(d, analysis(0.5, b, c));
        assertThat(r.reason()).contains("closest: arm 'b'").contains("chance to win 20.0%");
        Comparison noNumbers = new Comparison("c", Status.OK, 0.01, 0.01, -0.01, 0.03, Double.NaN, Double.NaN,
                Double.NaN, 0.01, 0.01, false);
        Comparison weak = new Comparison("b", Status.OK, 0.01, 0.01, -0.01, 0.03, Double.NaN, Double.NaN, 0.55, 0.01,
                0.01, false);
        assertThat(recommend(d, analysis(0.5, noNumbers, weak)).reason()).contains("closest: arm 'b'");
    }

    /**
     * A relative lift marked unreliable is decided on its absolute comparison; without one it never
     * acts. The reason shows the absolute difference and the relative interval, infinite ends as ±inf.
     */
    @Test
    void anUnreliableRelativeLiftIsDecidedOnTheAbsoluteComparison() {
        Comparison abs = new Comparison("b", Status.OK, 0.119, 0.01, 0.09, 0.148, 1e-9, 1e-9, Double.NaN, Double.NaN,
                Double.NaN, true);
        Comparison rel = new Comparison("b", Status.RELATIVE_LIFT_UNRELIABLE, 119.0, 100, Double.NEGATIVE_INFINITY,
                Double.POSITIVE_INFINITY, 0.2, 0.2, Double.NaN, Double.NaN, Double.NaN, false, abs);
        assertThat(Recommender.decisive(rel)).isTrue();
        Recommendation r = recommend(running(Method.SEQUENTIAL), analysis(0.5, rel, flat("c", 0.5)));
        assertThat(r.action()).isEqualTo("ship b");
        assertThat(r.reason()).isEqualTo("arm 'b' is significantly better than control on 'reward': relative lift "
                + "unreliable (control mean near 0): absolute difference 0.1190, interval [0.09000, 0.1480], p = 1.000e-09; "
                + "relative lift +11900.00%, interval [-inf, +inf]");
        Comparison alone = new Comparison("b", Status.RELATIVE_LIFT_UNRELIABLE, 119.0, 100, 50, 200, 1e-9, 1e-9,
                Double.NaN, Double.NaN, Double.NaN, true);
        assertThat(Recommender.decisive(alone)).isFalse();
        assertThat(recommend(running(Method.SEQUENTIAL), analysis(0.5, alone, flat("c", 0.5))).action())
                .isEqualTo(Recommendation.CONTINUE);
        assertThat(Recommender.decisive(cmp("b", 0.2, 0.1, 0.3, 1e-6, true))).isTrue();
        assertThat(Recommender.decisive(cmp("b", 0.2, 0.1, 0.3, 1e-6, false))).isFalse();
    }

    /** Absolute lifts print as numbers, infinite interval ends as ±inf. */
    @Test
    void absoluteLiftsAndOpenIntervalsInTheReason() {
        ExperimentDefinition d = ExperimentDefinition.builder("e").arms("control", "b", "c").reward(REWARD)
                .analysis(new AnalysisSpec(Method.SEQUENTIAL, 0.05, false, Sides.GREATER, 5000, null, 0, null, null,
                        List.of()))
                .build();
        Recommendation r = recommend(d, analysis(0.5, cmp("b", 0.02, 0.005, Double.POSITIVE_INFINITY, 0.004, true),
                flat("c", 0.5)));
        assertThat(r.reason()).isEqualTo("arm 'b' is significantly better than control on 'reward': "
                + "lift 0.02000, interval [0.005000, +inf], p = 0.004000");
        Recommendation rel = recommend(running(Method.SEQUENTIAL), analysis(0.5,
                cmp("b", 0.02, 0.005, Double.POSITIVE_INFINITY, 0.004, true), flat("c", 0.5)));
        assertThat(rel.reason()).endsWith("lift +2.00%, interval [+0.50%, +inf], p = 0.004000");
        Recommendation worse = recommend(running(Method.SEQUENTIAL), analysis(0.5,
                cmp("b", -0.02, Double.NEGATIVE_INFINITY, -0.005, 0.004, true), flat("c", 0.5)));
        assertThat(worse.reason()).contains("lift -2.00%, interval [-inf, -0.50%], p = 0.004000");
    }
}
