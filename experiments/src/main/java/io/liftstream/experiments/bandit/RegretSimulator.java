package io.liftstream.experiments.bandit;

import java.util.SplittableRandom;

/**
 * Simulates a bandit policy on Bernoulli arms with known rates and measures its cumulative regret,
 * with the stream's realities: rewards that arrive late ({@code delay}) and posteriors refreshed in
 * batches ({@code batch}). Pure and seeded: the same settings give the same result.
 *
 * <p>Per run, one generator (split from the settings' seed) drives the policy and another the rewards,
 * so two policies simulated with the same seed face the same reward coin flips per arm and round.
 * Round t's reward becomes visible at round t + 1 + delay, and the policy sees it from the next round
 * divisible by {@code batch}, when its snapshot is rebuilt from every reward visible by then.
 */
public final class RegretSimulator {
    private RegretSimulator() {}

    public static SimulationResult run(SimulationSettings s) {
        double[] rates = s.rates();
        int k = rates.length;
        double best = Double.NEGATIVE_INFINITY;
        for (double r : rates) {
            best = Math.max(best, r);
        }
        BanditAllocator allocator = new BanditAllocator(BanditPolicy.of(s.policy()), s.bandit());
        SplittableRandom root = new SplittableRandom(s.seed());
        double[] regrets = new double[s.runs()];
        double[] allocation = new double[k];
        for (int run = 0; run < s.runs(); run++) {
            SplittableRandom policyRng = root.split();
            SplittableRandom rewardRng = root.split();
            long[] plays = new long[k];
            regrets[run] = oneRun(s, rates, best, allocator, policyRng, rewardRng, plays);
            for (int i = 0; i < k; i++) {
                allocation[i] += (double) plays[i] / s.horizon() / s.runs();
            }
        }
        double mean = 0;
        for (double r : regrets) {
            mean += r / regrets.length;
        }
        double ss = 0;
        for (double r : regrets) {
            ss += (r - mean) * (r - mean);
        }
        double se = regrets.length > 1 ? Math.sqrt(ss / (regrets.length - 1) / regrets.length) : 0;
        return new SimulationResult(s, mean, se, allocation, LaiRobbins.bound(rates, s.horizon()));
    }

    private static double oneRun(SimulationSettings s, double[] rates, double best, BanditAllocator allocator,
                                 SplittableRandom policyRng, SplittableRandom rewardRng, long[] plays) {
        int k = rates.length;
        long[] trials = new long[k];
        long[] successes = new long[k];
        // Rewards not yet visible, in a ring buffer indexed by round. At a batch boundary b, rounds before
        // b - delay become visible; round t < b + batch overwrites round t - W < b - delay: already consumed.
        int window = s.delay() + s.batch();
        int[] pendingArm = new int[window];
        boolean[] pendingReward = new boolean[window];
        long visibleUpTo = 0; // rounds [0, visibleUpTo) are counted in trials/successes
        ArmPosteriors snapshot = snapshot(trials, successes);
        double regret = 0;
        for (long t = 0; t < s.horizon(); t++) {
            if (t % s.batch() == 0) {
                long visibleNow = Math.max(0, t - s.delay());
                if (visibleNow > visibleUpTo) {
                    for (long r = visibleUpTo; r < visibleNow; r++) {
                        int slot = (int) (r % window);
                        trials[pendingArm[slot]]++;
                        successes[pendingArm[slot]] += pendingReward[slot] ? 1 : 0;
                    }
                    visibleUpTo = visibleNow;
                    snapshot = snapshot(trials, successes);
                }
            }
            int arm = allocator.choose(snapshot, policyRng);
            plays[arm]++;
            regret += best - rates[arm];
            int slot = (int) (t % window);
            pendingArm[slot] = arm;
            pendingReward[slot] = rewardRng.nextDouble() < rates[arm];
        }
        return regret;
    }

    private static ArmPosteriors snapshot(long[] trials, long[] successes) {
        ConversionStats[] stats = new ConversionStats[trials.length];
        for (int i = 0; i < stats.length; i++) {
            stats[i] = new ConversionStats(trials[i], successes[i]);
        }
        return BetaBernoulliPosteriors.of(stats);
    }
}
