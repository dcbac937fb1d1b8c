package io.liftstream.experiments.results;

import io.liftstream.experiments.assignment.Arm;
import io.liftstream.experiments.assignment.ExperimentDefinition;
import io.liftstream.experiments.bandit.PolicyType;
import io.liftstream.experiments.stats.AnalysisRequest;
import io.liftstream.experiments.stats.AnalysisResult;
import io.liftstream.experiments.stats.Analyzer;
import io.liftstream.experiments.stats.ArmInput;
import io.liftstream.experiments.stats.CupedStats;
import io.liftstream.experiments.stats.RatioStats;
import io.liftstream.experiments.stats.Method;
import io.liftstream.experiments.stats.SampleStats;
import io.liftstream.experiments.stats.Sides;
import io.liftstream.experiments.stats.multiple.PValueAdjustment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns an experiment's running totals into a result: the same analyses as {@code ./liftstream
 * analyze} (the {@link Analyzer}) on the primary metric, each guardrail and the holdout comparison,
 * the SRM check against the weights in force, and a {@link Recommender recommendation}.
 *
 * <p><b>Phases.</b> The totals are kept per {@link Phases phase} (users belong to the phase of their
 * first exposure); every comparison combines the per-phase estimates by traffic
 * ({@link PhaseCombination}), so a change of weights, coverage or holdout (or a bandit's changing
 * allocation) cannot make an A/A test read a lift (Simpson's paradox). With one phase the
 * analysis is exactly the pooled one.
 *
 * <p><b>CUPED.</b> A metric with a {@code cuped} lookback is adjusted with each user's pre-exposure
 * value of the metric (the totals keep Σp, Σp², Σx·p per phase, group and metric): each arm is an
 * {@link ArmInput} carrying its {@link CupedStats}, and the {@link Analyzer} pools θ across arms
 * exactly as {@code analyze} does (Deng, Xu, Kohavi, Walker 2013, eq. 3–4). This applies while the
 * experiment has one phase. With several phases the metric is analysed unadjusted (combined by
 * traffic as above): the adjusted per-phase estimates would need θ per phase and a combined
 * variance of the adjusted means, which {@link PhaseCombination} (arm moments only) does not
 * give; an unadjusted comparison stays valid, it only forgoes the variance reduction.
 *
 * <p><b>Ratio metrics.</b> A metric with a {@code denominator} is analysed as Σm/Σd with the delta
 * method ({@link RatioStats}, as {@code analyze}); the totals keep Σd, Σd², Σm·d in the same slots as
 * CUPED's Σp, Σp², Σx·p (a metric is never both). Within one phase only: over several phases the
 * metric's record carries an error (a per-phase ratio combination is not implemented).
 *
 * <p>Each call is one look: it reads and updates the {@link ResultsMemory} so that
 * <ul>
 *   <li>the always-valid p-values ({@code sequential}, {@code msprt}, and the sequential SRM) never
 *       increase from one result to the next (each is the running minimum, as {@code analyze}'s
 *       {@code previous_p_value}), and their intervals are the running intersection over the looks
 *       ({@link AlwaysValidLooks}): p-value, interval, direction and {@code significant} agree in
 *       every record; with several treatments the intervals are at α/k (Bonferroni) and the
 *       adjusted p-value is k·p;</li>
 *   <li>{@code gst} looks accumulate: each result with more users in a control–treatment pair is a
 *       new look of that pair (its own plan, so experiments with more than two arms work);</li>
 * </ul>
 * The arms are the definition's (treated users only); the SRM is skipped (null) for adaptive
 * policies (thompson, top_two, ucb1, epsilon_greedy), whose allocation follows the data, not the
 * weights; {@code uniform} is checked against an equal split. The holdout's SRM follows the
 * {@code holdout_pct} in force when each user came ({@link SrmEpochs#addHoldoutUsers}).
 */
public final class ResultsCalculator {
    private ResultsCalculator() {}

    /** Name of the pooled treated arms in the holdout comparison. */
    public static final String TREATED = "treated";

    public static ExperimentResult compute(ExperimentDefinition d, ResultsTotals totals, ResultsMemory memory) {
        if (memory.intervals == null) {
            memory.intervals = new HashMap<>();
        }
        List<MetricSpec> metrics = ExperimentMetrics.of(d);
        AnalysisSpec a = d.analysisOrDefaults();
        int phase = Math.max(1, totals.phases().size());
        if (metrics.isEmpty()) {
            return new ExperimentResult(null, null, List.of(), null, totals.conflicts,
                    new Recommendation(Recommendation.CONTINUE, "nothing to measure: the definition has no reward and no analysis.primary"),
                    phase, 0);
        }
        boolean srmApplies = srmApplies(d.policy());
        double srm = srmApplies ? SrmEpochs.chiSquarePValue(memory) : Double.NaN;
        double sequentialSrm = srmApplies ? SrmEpochs.sequentialPValue(memory) : Double.NaN;

        MetricSpec primaryMetric = metrics.get(0);
        int[] combined = new int[1];
        AnalysisResult primary = withSrm(analyzeArms(d, a, primaryMetric, a.sides(), totals, memory, combined), srm,
                sequentialSrm);
        List<ExperimentResult.Guardrail> guardrails = new ArrayList<>();
        for (MetricSpec g : metrics.subList(1, metrics.size())) {
            guardrails.add(new ExperimentResult.Guardrail(g,
                    withSrm(analyzeArms(d, a, g, Sides.TWO, totals, memory, new int[1]), srm, sequentialSrm)));
        }
        AnalysisResult holdout = d.holdoutPct() > 0 || totals.users(ResultsTotals.HOLDOUT) > 0
                ? analyzeHoldout(d, a, primaryMetric, totals, memory) : null;
        ExperimentResult partial = new ExperimentResult(primaryMetric, primary, guardrails, holdout, totals.conflicts, null,
                phase, combined[0]);
        return new ExperimentResult(primaryMetric, primary, guardrails, holdout, totals.conflicts,
                Recommender.recommend(d, partial, srmApplies), phase, combined[0]);
    }

    /** Expected shares are the weights for fixed allocation, equal for uniform; adaptive policies have none. */
    static boolean srmApplies(PolicyType policy) {
        return policy == PolicyType.FIXED || policy == PolicyType.UNIFORM;
    }

    /** The arm weights an SRM check expects under {@code d}'s policy. */
    public static double[] expectedWeights(ExperimentDefinition d) {
        if (d.policy() == PolicyType.UNIFORM) {
            double[] w = new double[d.arms().size()];
            Arrays.fill(w, 1.0 / w.length);
            return w;
        }
        return d.weights();
    }

    public static String[] armNames(ExperimentDefinition d) {
        return d.arms().stream().map(Arm::name).toArray(String[]::new);
    }

    private static AnalysisRequest.Builder base(AnalysisSpec a, MetricSpec m, Sides sides) {
        return AnalysisRequest.builder().metric(m.metricType()).relative(a.relative()).alpha(a.alpha()).sides(sides)
                .sequentialTuning(a.sequentialTuning()).msprtTau2(a.msprtTau2())
                .prior(a.priorOrFlat()).confidenceLevel(a.confidenceLevel()).winRisk(a.winRisk());
    }

    /**
     * The metric as the analyses must see a combination of several phases: a mean (its per-user
     * variance is the combination's, see {@link PhaseCombination}); else the metric itself.
     */
    private static MetricSpec analysedAs(MetricSpec m, PhaseCombination.Combined c) {
        if (c.type() == m.metricType()) {
            return m;
        }
        return new MetricSpec(m.name(), m.event(), "combined phases of " + m.value(), m.window(), m.desired());
    }

    private static AnalysisResult analyzeArms(ExperimentDefinition d, AnalysisSpec a, MetricSpec m, Sides sides,
            ResultsTotals totals, ResultsMemory memory, int[] phasesCombined) {
        String[] names = armNames(d);
        String control = a.control() != null ? a.control() : names[0];
        List<List<String>> groups = new ArrayList<>(names.length);
        for (String n : names) {
            groups.add(List.of(ResultsTotals.arm(n)));
        }
        PhaseCombination.Combined combined = PhaseCombination.byTraffic(totals, groups, m.name(), m.metricType());
        phasesCombined[0] = combined.phases();
        MetricSpec analysed = analysedAs(m, combined);
        List<ArmInput> arms = new ArrayList<>(names.length);
        List<Long> phases = totals.phases();
        boolean cuped = m.cupedLookback() != null && phases.size() == 1;
        if (m.isRatio() && phases.size() > 1) {
            return new AnalysisResult("ratio metric '" + m.name() + "': the results job analyses a ratio metric "
                    + "within one phase only, and this experiment has " + phases.size() + " phases", Double.NaN,
                    Double.NaN, List.of(), List.of());
        }
        for (int i = 0; i < names.length; i++) {
            if (m.isRatio()) {
                // Numerator moments with the denominator's (Σd, Σd², Σm·d kept in the covariate slots).
                CupedStats c = totals.cupedStats(phases.isEmpty() ? ResultsTotals.FIRST_PHASE : phases.get(0),
                        ResultsTotals.arm(names[i]), m.name());
                arms.add(ArmInput.ratio(names[i], ratio(c)));
            } else if (cuped) {
                // One phase: the arm's own moments, with the covariate's (Analyzer pools θ across arms).
                CupedStats c = totals.cupedStats(phases.get(0), ResultsTotals.arm(names[i]), m.name());
                arms.add(new ArmInput(names[i], c.post(), c));
            } else {
                arms.add(ArmInput.of(names[i], combined.combined().get(i)));
            }
        }
        try {
            if (a.method() == Method.GST) {
                return gst(a, analysed, sides, control, arms, memory);
            }
            List<String> treatments = new ArrayList<>();
            for (String n : names) {
                if (!n.equals(control)) {
                    treatments.add(n);
                }
            }
            boolean alwaysValid = alwaysValid(a.method());
            int family = treatments.size();
            double[] previous = new double[treatments.size()];
            for (int i = 0; i < previous.length; i++) {
                previous[i] = alwaysValid
                        ? memory.previousP.getOrDefault(ResultsMemory.key(m.name(), treatments.get(i)), 1.0) : 1.0;
            }
            AnalysisRequest.Builder request = base(a, analysed, sides).method(a.method()).control(control)
                    .weights(expectedWeights(d)).arms(arms).previousPValues(previous);
            if (alwaysValid && family > 1) {
                request.alpha(a.alpha() / family);
            }
            AnalysisResult r = Analyzer.analyze(request.build());
            if (!alwaysValid) {
                return r;
            }
            List<AnalysisResult.Comparison> out = new ArrayList<>(r.comparisons().size());
            for (AnalysisResult.Comparison c : r.comparisons()) {
                String key = ResultsMemory.key(m.name(), c.arm());
                if (c.status().ok() && Double.isFinite(c.pValue())) {
                    memory.previousP.put(key, c.pValue());
                }
                out.add(AlwaysValidLooks.intersect(c, memory.intervals, key, family));
            }
            return new AnalysisResult(error(out, r.error()), r.srmPValue(), r.sequentialSrmPValue(), r.arms(), out);
        } catch (IllegalArgumentException e) {
            return new AnalysisResult(e.getMessage(), Double.NaN, Double.NaN, List.of(), List.of());
        }
    }

    /** The analysis' error, or the first comparison that has no numbers since its looks disagree. */
    private static String error(List<AnalysisResult.Comparison> comparisons, String error) {
        if (error != null) {
            return error;
        }
        for (AnalysisResult.Comparison c : comparisons) {
            if (!c.status().ok()) {
                return "arm '" + c.arm() + "': " + c.status().reason();
            }
        }
        return null;
    }

    static boolean alwaysValid(Method method) {
        return method == Method.SEQUENTIAL || method == Method.MSPRT;
    }

    /**
     * Group sequential test per control–treatment pair: each pair has its own looks (its total n at
     * every earlier result), the current look appended when the pair grew. Each pair spends
     * α/(number of treatments) (Bonferroni-split spending, as in {@code analyze}), so boundary,
     * interval and {@code significant} control the family-wise error; the nominal p-values are
     * Holm-adjusted across pairs for display.
     */
    private static AnalysisResult gst(AnalysisSpec a, MetricSpec m, Sides sides, String control, List<ArmInput> arms,
            ResultsMemory memory) {
        AnalysisResult all = Analyzer.analyze(base(a, m, sides).method(Method.FIXED).control(control).arms(arms).build());
        ArmInput c = arms.stream().filter(x -> x.name().equals(control)).findFirst().orElseThrow();
        List<AnalysisResult.Comparison> comparisons = new ArrayList<>();
        String error = null;
        double pairAlpha = io.liftstream.experiments.stats.sequential.GroupSequentialTest.perComparisonAlpha(a.alpha(),
                arms.size() - 1);
        for (ArmInput t : arms) {
            if (t.name().equals(control)) {
                continue;
            }
            String key = ResultsMemory.key(m.name(), t.name());
            long[] looks = memory.gstLooks.getOrDefault(key, new long[0]);
            long pairN = c.stats().n() + t.stats().n();
            AnalysisResult.Comparison comparison;
            if (pairN == 0) {
                comparison = AnalysisResult.Comparison.failed(t.name(), io.liftstream.experiments.stats.Status.TOO_FEW_UNITS);
            } else {
                AnalysisResult pair = Analyzer.analyze(base(a, m, sides).alpha(pairAlpha).method(Method.GST)
                        .gst(a.gstMaxN(), looks).arms(List.of(c, t)).build());
                comparison = pair.comparisons().get(0);
                if (comparison.status().ok() && (looks.length == 0 || looks[looks.length - 1] < pairN)) {
                    long[] next = Arrays.copyOf(looks, looks.length + 1);
                    next[looks.length] = pairN;
                    memory.gstLooks.put(key, next);
                }
            }
            if (!comparison.status().ok() && error == null) {
                error = "arm '" + t.name() + "': " + comparison.status().reason();
            }
            comparisons.add(comparison);
        }
        double[] p = new double[comparisons.size()];
        for (int i = 0; i < p.length; i++) {
            double v = comparisons.get(i).pValue();
            p[i] = Double.isNaN(v) ? 1.0 : v;
        }
        double[] adjusted = PValueAdjustment.holm(p);
        List<AnalysisResult.Comparison> out = new ArrayList<>();
        for (int i = 0; i < p.length; i++) {
            AnalysisResult.Comparison x = comparisons.get(i);
            out.add(x.status().ok() ? new AnalysisResult.Comparison(x.arm(), x.status(), x.expected(), x.se(), x.ciLower(),
                    x.ciUpper(), x.pValue(), adjusted[i], x.chanceToWin(), x.riskControl(), x.riskTreatment(),
                    x.significant(), x.absolute()) : x);
        }
        return new AnalysisResult(error, all.srmPValue(), all.sequentialSrmPValue(), all.arms(), out);
    }

    /** A ratio metric's statistics from its totals (Σd, Σd², Σm·d in the covariate slots). */
    private static RatioStats ratio(CupedStats c) {
        return new RatioStats(c.post(), c.pre(), c.sumProduct());
    }

    /**
     * The holdout (control) against every treated user pooled, on the primary metric, two-sided,
     * phases combined by traffic. Same method as the experiment, except that gst (planned for the
     * arms) becomes sequential. Its SRM checks the holdout share against the {@code holdout_pct} in
     * force when each user came (the epochs of {@link SrmEpochs#addHoldoutUsers}).
     */
    private static AnalysisResult analyzeHoldout(ExperimentDefinition d, AnalysisSpec a, MetricSpec m,
            ResultsTotals totals, ResultsMemory memory) {
        List<String> treatedGroups = new ArrayList<>();
        for (String n : armNames(d)) {
            treatedGroups.add(ResultsTotals.arm(n));
        }
        // The holdout share does not follow a bandit's allocation: its strata are allocation phases.
        PhaseCombination.Combined combined = PhaseCombination.byTraffic(totals,
                List.of(List.of(ResultsTotals.HOLDOUT), treatedGroups), m.name(), m.metricType(),
                memory.phaseAllocation == null ? Map.of() : memory.phaseAllocation);
        MetricSpec analysed = analysedAs(m, combined);
        Method method = a.method() == Method.GST ? Method.SEQUENTIAL : a.method();
        String key = ResultsMemory.key(ResultsTotals.HOLDOUT, m.name());
        double pct = d.holdoutPct();
        try {
            List<ArmInput> arms = List.of(ArmInput.of(ResultsTotals.HOLDOUT, combined.combined().get(0)),
                    ArmInput.of(TREATED, combined.combined().get(1)));
            if (m.isRatio()) {
                List<Long> phases = totals.phases();
                if (phases.size() > 1) {
                    return new AnalysisResult("ratio metric '" + m.name() + "': the results job analyses a ratio "
                            + "metric within one phase only, and this experiment has " + phases.size() + " phases",
                            Double.NaN, Double.NaN, List.of(), List.of());
                }
                long phase = phases.isEmpty() ? ResultsTotals.FIRST_PHASE : phases.get(0);
                RatioStats held = ratio(totals.cupedStats(phase, ResultsTotals.HOLDOUT, m.name()));
                RatioStats treated = RatioStats.EMPTY;
                for (String g : treatedGroups) {
                    treated = treated.merge(ratio(totals.cupedStats(phase, g, m.name())));
                }
                arms = List.of(ArmInput.ratio(ResultsTotals.HOLDOUT, held), ArmInput.ratio(TREATED, treated));
            }
            AnalysisRequest.Builder b = base(a, analysed, Sides.TWO).method(method)
                    .arms(arms)
                    .previousPValue(alwaysValid(method) ? memory.previousP.getOrDefault(key, 1.0) : 1.0);
            if (pct > 0 && pct < 100) {
                b.weights(new double[] {pct, 100 - pct});
            }
            AnalysisResult r = Analyzer.analyze(b.build());
            boolean checked = SrmEpochs.holdoutCheckable(memory) || memory.holdoutSrmClosedLogBf != 0
                    || memory.holdoutSrmPrevious < 1;
            r = checked ? withSrm(r, SrmEpochs.holdoutChiSquarePValue(memory), SrmEpochs.holdoutSequentialPValue(memory))
                    : withSrm(r, Double.NaN, Double.NaN);
            if (!alwaysValid(method)) {
                return r;
            }
            AnalysisResult.Comparison c = r.comparisons().get(0);
            if (c.status().ok() && Double.isFinite(c.pValue())) {
                memory.previousP.put(key, c.pValue());
            }
            List<AnalysisResult.Comparison> out = List.of(AlwaysValidLooks.intersect(c, memory.intervals, key, 1));
            return new AnalysisResult(error(out, r.error()), r.srmPValue(), r.sequentialSrmPValue(), r.arms(), out);
        } catch (IllegalArgumentException e) {
            return new AnalysisResult(e.getMessage(), Double.NaN, Double.NaN, List.of(), List.of());
        }
    }

    private static AnalysisResult withSrm(AnalysisResult r, double srm, double sequentialSrm) {
        return new AnalysisResult(r.error(), srm, sequentialSrm, r.arms(), r.comparisons());
    }
}
