package io.liftstream.experiments.stats;

/** The inference paradigm of an analysis. */
public enum Method {
    /** Welch t-test, fixed horizon: look once. */
    FIXED,
    /** GrowthBook-style asymptotic confidence sequence: look any time. */
    SEQUENTIAL,
    /** Mixture SPRT with a normal mixture: look any time. */
    MSPRT,
    /** Group sequential, Lan–DeMets O'Brien–Fleming spending: a planned maximum sample size. */
    GST,
    /** Gaussian posterior on the lift: chance to win and risk. */
    BAYESIAN
}
