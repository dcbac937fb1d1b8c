package io.liftstream.experiments.bandit;

/**
 * Outcome of a regret simulation.
 *
 * @param regretMean     mean over runs of the cumulative pseudo-regret Σ_t (μ* − μ_{a_t})
 * @param regretSe       its standard error (sample sd / √runs; 0 for one run)
 * @param allocation     share of rounds per arm, averaged over runs
 * @param laiRobbinsBound the Lai–Robbins bound for the same arms and horizon
 */
public record SimulationResult(SimulationSettings settings, double regretMean, double regretSe, double[] allocation,
                               double laiRobbinsBound) {}
