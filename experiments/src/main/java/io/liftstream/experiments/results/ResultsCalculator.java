package io.liftstream.experiments.results;

import io.liftstream.experiments.assignment.Arm;
import io.liftstream.experiments.assignment.ExperimentDefinition;
import io.liftstream.experiments.bandit.PolicyType;
import io.liftstream.experiments.stats.AnalysisRequest;
import io.liftstream.experiments.stats.AnalysisResult;
import io.liftstream.experiments.stats.Analyzer;
import io.liftstream.experiments.stats.ArmInput;
import io.liftstream.experiments.stats.Method;
import io.liftstream.experiments.stats.SampleStats;
import io.liftstream.experiments.stats.Sides;
import io.liftstream.experiments.stats.multiple.PValueAdjustment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns an experiment's running totals into a result: the same analyses as {@code ./liftstream
 * analyze} (the {@link Analyzer}) on the primary metric, each guardrail and the holdout comparison,
 * the SRM check against the weights in force, and a {@link Recommender recommendation}.
 *
 * <p>Each call is one look: it reads and updates the {@link ResultsMemory} so that
 * <ul>
 *   <li>the always-valid p-values ({@code sequential}, {@code msprt}, and the sequential SRM) never
 *       increase from one result to the next (each is the running minimum, as {@code analyze}'s
 *       {@code previous_p_value});</li>
 *   <li>{@code gst} looks accumulate: each result with more users in a control–treatment pair is a
 *       new look of that pair (its own plan, so experiments with more than two arms work);</li>
 * </ul>
 * The arms are the definition's (treated users only); the SRM is skipped (null) for adaptive
 * policies (thompson, top_two, ucb1, epsilon_greedy), whose allocation follows the data, not the
 * weights; {@code uniform} is checked against an equal split.
 */
public final class ResultsCalculator {
    private ResultsCalculator() {}

    /** Name of the pooled treated arms in the holdout comparison. */
    public static final String TREATED = "treated";

    public static ExperimentResult compute(ExperimentDefinition d, ResultsTotals totals, ResultsMemory memory) {
        List<MetricSpec> metrics = ExperimentMetrics.of(d);
        AnalysisSpec a = d.analysisOrDefaults();
        if (metrics.isEmpty()) {
            return new ExperimentResult(null, null, List.of(), null, totals.conflicts,
                    new Recommendation(Recommendation.CONTINUE, "nothing to measure: the definition has no reward and no analysis.primary"));
        }
        boolean srmApplies = srmApplies(d.policy());
        double srm = srmApplies ? SrmEpochs.chiSquarePValue(memory) : Double.NaN;
        double sequentialSrm = srmApplies ? SrmEpochs.sequentialPValue(memory) : Double.NaN;

        MetricSpec primaryMetric = metrics.get(0);
        AnalysisResult primary = withSrm(analyzeArms(d, a, primaryMetric, a.sides(), totals, memory), srm, sequentialSrm);
        List<ExperimentResult.Guardrail> guardrails = new ArrayList<>();
        for (MetricSpec g : metrics.subList(1, metrics.size())) {
            guardrails.add(new ExperimentResult.Guardrail(g,
                    withSrm(analyzeArms(d, a, g, Sides.TWO, totals, memory), srm, sequentialSrm)));
        }
        AnalysisResult holdout = d.holdoutPct() > 0 || totals.users(ResultsTotals.HOLDOUT) > 0
                ? analyzeHoldout(d, a, primaryMetric, totals, memory) : null;
        ExperimentResult partial = new ExperimentResult(primaryMetric, primary, guardrails, holdout, totals.conflicts, null);
        return new ExperimentResult(primaryMetric, primary, guardrails, holdout, totals.conflicts,
                Recommender.recommend(d, partial, srmApplies));
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

    private static AnalysisResult analyzeArms(ExperimentDefinition d, AnalysisSpec a, MetricSpec m, Sides sides,
            ResultsTotals totals, ResultsMemory memory) {
        String[] names = armNames(d);
        String control = a.control() != null ? a.control() : names[0];
        List<ArmInput> arms = new ArrayList<>(names.length);
        for (String n : names) {
            arms.add(ArmInput.of(n, totals.stats(ResultsTotals.arm(n), m.name())));
        }
        try {
            if (a.method() == Method.GST) {
                return gst(a, m, sides, control, arms, memory);
            }
            List<String> treatments = new ArrayList<>();
            for (String n : names) {
                if (!n.equals(control)) {
                    treatments.add(n);
                }
            }
            double[] previous = new double[treatments.size()];
            for (int i = 0; i < previous.length; i++) {
                previous[i] = alwaysValid(a.method())
                        ? memory.previousP.getOrDefault(ResultsMemory.key(m.name(), treatments.get(i)), 1.0) : 1.0;
            }
            AnalysisResult r = Analyzer.analyze(base(a, m, sides).method(a.method()).control(control)
                    .weights(expectedWeights(d)).arms(arms).previousPValues(previous).build());
            if (alwaysValid(a.method())) {
                for (AnalysisResult.Comparison c : r.comparisons()) {
                    if (c.status().ok() && Double.isFinite(c.pValue())) {
                        memory.previousP.put(ResultsMemory.key(m.name(), c.arm()), c.pValue());
                    }
                }
            }
            return r;
        } catch (IllegalArgumentException e) {
            return new AnalysisResult(e.getMessage(), Double.NaN, Double.NaN, List.of(), List.of());
        }
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

    /**
     * The holdout (control) against every treated user pooled, on the primary metric, two-sided.
     * Same method as the experiment, except that gst (planned for the arms) becomes sequential. Its
     * SRM checks the holdout share against {@code holdout_pct}.
     */
    private static AnalysisResult analyzeHoldout(ExperimentDefinition d, AnalysisSpec a, MetricSpec m,
            ResultsTotals totals, ResultsMemory memory) {
        SampleStats treated = SampleStats.EMPTY;
        for (String n : armNames(d)) {
            treated = treated.merge(totals.stats(ResultsTotals.arm(n), m.name()));
        }
        SampleStats held = totals.stats(ResultsTotals.HOLDOUT, m.name());
        Method method = a.method() == Method.GST ? Method.SEQUENTIAL : a.method();
        String key = ResultsMemory.key(ResultsTotals.HOLDOUT, m.name());
        double pct = d.holdoutPct();
        try {
            AnalysisRequest.Builder b = base(a, m, Sides.TWO).method(method)
                    .arms(List.of(ArmInput.of(ResultsTotals.HOLDOUT, held), ArmInput.of(TREATED, treated)))
                    .previousPValue(alwaysValid(method) ? memory.previousP.getOrDefault(key, 1.0) : 1.0)
                    .previousSequentialSrmPValue(memory.holdoutSrmPrevious);
            if (pct > 0 && pct < 100) {
                b.weights(new double[] {pct, 100 - pct});
            }
            AnalysisResult r = Analyzer.analyze(b.build());
            if (pct > 0 && pct < 100 && Double.isFinite(r.sequentialSrmPValue())) {
                memory.holdoutSrmPrevious = r.sequentialSrmPValue();
            } else if (!(pct > 0 && pct < 100)) {
                r = withSrm(r, Double.NaN, Double.NaN);
            }
            AnalysisResult.Comparison c = r.comparisons().get(0);
            if (alwaysValid(method) && c.status().ok() && Double.isFinite(c.pValue())) {
                memory.previousP.put(key, c.pValue());
            }
            return r;
        } catch (IllegalArgumentException e) {
            return new AnalysisResult(e.getMessage(), Double.NaN, Double.NaN, List.of(), List.of());
        }
    }

    private static AnalysisResult withSrm(AnalysisResult r, double srm, double sequentialSrm) {
        return new AnalysisResult(r.error(), srm, sequentialSrm, r.arms(), r.comparisons());
    }
}
