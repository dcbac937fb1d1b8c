/**
 * The decision job's maths, free of Flink: what a request gets ({@link ExperimentDecider}), the
 * exact reward sums that flow back to the posteriors ({@link RewardTally}), the posterior epochs
 * ({@link PosteriorEpochs}) and deterministic ids and seeds ({@link DecisionIds}).
 */
package io.liftstream.experiments.decision;
