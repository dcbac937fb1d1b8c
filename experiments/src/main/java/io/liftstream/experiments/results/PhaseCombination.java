package io.liftstream.experiments.results;

import io.liftstream.experiments.stats.MetricType;
import io.liftstream.experiments.stats.SampleStats;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Combines per-phase statistics of the arms of one comparison into one estimate per arm, weighting
 * each phase by its traffic (post-stratification).
 *
 * <p>For phases p whose every arm has at least 2 users, with N_p the users of phase p in the
 * compared arms and w_p = N_p / Σ N_q, arm j's estimate and its variance are
 * <pre>  m_j = Σ_p w_p x̄_{j,p}        V_j = Σ_p w_p² s²_{j,p} / n_{j,p}</pre>
 * (s² the per-user variance of the metric type: p(1 − p) for a proportion, the sample variance for
 * a mean). This is gbstats' bandit estimate with {@code weight_by_period} (GrowthBook,
 * {@code gbstats/bayesian/bandits.py}: {@code period_weights} = period traffic / total traffic, the
 * same for every variation, {@code construct_weighted_variances} = Σ w² s²/n scaled back by the
 * variation's n, {@code sum_squares_from_moments} = (n − 1)v + n·m²), i.e. the post-stratified
 * estimator with strata of known share (Miratrix, Sekhon &amp; Yu 2013, "Adjusting treatment effect
 * estimates by post-stratification in randomized experiments", JRSS-B 75(2)).
 *
 * <p>Why by traffic and not inverse-variance: every arm gets the same weights, so each m_j estimates
 * the arm's mean over the same population (all users of the combined phases), and m_T − m_C the
 * average effect over those users — what the pooled totals estimate when the allocation never
 * changes. Inverse-variance weights per phase would favour the balanced phases and change the
 * estimand with the allocation; by traffic reduces exactly to the pooled estimate for one phase.
 *
 * <p>The result is handed to the analyses as one {@link SampleStats} per arm with n = Σ_p n_{j,p},
 * mean m_j and per-user sample variance n·V_j (so variance/n = V_j); it must be analysed as a
 * {@link MetricType#MEAN} (a proportion's p(1 − p) would discard V_j). Phases where an arm has
 * fewer than 2 users are left out; with one usable phase its own statistics are returned unchanged.
 */
public final class PhaseCombination {
    private PhaseCombination() {}

    /**
     * @param arms per arm of the comparison, the group keys pooled into it (one arm for a treated
     *     arm; every treated arm for the holdout comparison's "treated")
     * @param type how the per-user variance of one phase is computed
     * @param combined the statistics per arm; {@link #type} is the type to analyse them as
     * @param phases the number of phases combined (0 when none had 2 users in every arm)
     */
    public record Combined(List<SampleStats> combined, MetricType type, int phases) {}

    public static Combined byTraffic(ResultsTotals totals, List<List<String>> arms, String metric, MetricType type) {
        return byTraffic(totals, arms, metric, type, Map.of());
    }

    /**
     * As {@link #byTraffic(ResultsTotals, List, String, MetricType)}, with the phases first merged
     * into strata: phase p belongs to stratum {@code strata.getOrDefault(p, p)} (the holdout
     * comparison of a bandit merges its periods into allocation phases).
     */
    public static Combined byTraffic(ResultsTotals totals, List<List<String>> arms, String metric, MetricType type,
            Map<Long, Long> strata) {
        TreeMap<Long, List<Long>> byStratum = new TreeMap<>();
        for (long phase : totals.phases()) {
            byStratum.computeIfAbsent(strata.getOrDefault(phase, phase), k -> new ArrayList<>()).add(phase);
        }
        List<List<SampleStats>> usable = new ArrayList<>();
        List<SampleStats> last = null;
        for (List<Long> phases : byStratum.values()) {
            List<SampleStats> row = new ArrayList<>(arms.size());
            boolean enough = true;
            for (List<String> groups : arms) {
                SampleStats s = SampleStats.EMPTY;
                for (long phase : phases) {
                    for (String g : groups) {
                        s = s.merge(totals.stats(phase, g, metric));
                    }
                }
                row.add(s);
                enough &= s.n() >= 2;
            }
            last = row;
            if (enough) {
                usable.add(row);
            }
        }
        if (usable.isEmpty()) {
            // Nothing comparable yet: the latest phase as it is (its too few users give the status).
            return new Combined(last != null ? last : empty(arms.size()), type, 0);
        }
        if (usable.size() == 1) {
            return new Combined(usable.get(0), type, 1);
        }
        return new Combined(combine(usable, type), MetricType.MEAN, usable.size());
    }

    /** Rows: phases; columns: arms. Every cell has n ≥ 2. */
    static List<SampleStats> combine(List<List<SampleStats>> phases, MetricType type) {
        int k = phases.get(0).size();
        double total = 0;
        double[] traffic = new double[phases.size()];
        for (int p = 0; p < phases.size(); p++) {
            for (SampleStats s : phases.get(p)) {
                traffic[p] += s.n();
            }
            total += traffic[p];
        }
        List<SampleStats> out = new ArrayList<>(k);
        for (int j = 0; j < k; j++) {
            long n = 0;
            double mean = 0;
            double v = 0;
            for (int p = 0; p < phases.size(); p++) {
                SampleStats s = phases.get(p).get(j);
                double w = traffic[p] / total;
                n += s.n();
                mean += w * s.mean();
                v += w * w * s.variance(type) / s.n();
            }
            out.add(withMeanAndVariance(n, mean, v * n));
        }
        return out;
    }

    /** n units whose mean is {@code mean} and whose sample variance is {@code variance}. */
    static SampleStats withMeanAndVariance(long n, double mean, double variance) {
        return SampleStats.of(n, n * mean, variance * (n - 1) + n * mean * mean);
    }

    private static List<SampleStats> empty(int k) {
        List<SampleStats> out = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            out.add(SampleStats.EMPTY);
        }
        return out;
    }
}
