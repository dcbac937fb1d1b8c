package io.liftstream.experiments.decision;

/**
 * What a request gets from one experiment.
 *
 * @param arm        the arm served, or the default arm when untreated; null only for an unknown experiment
 * @param propensity the probability with which {@code arm} was chosen: the arm's normalized weight for a
 *                   fixed assignment, the bandit's propensity for a bandit draw (kept on sticky
 *                   decisions), 1 for every untreated decision (it was not randomized)
 */
public record DecisionOutcome(DecisionReason reason, String arm, double propensity, boolean inHoldout) {}
