package io.liftstream.experiments.stats;

/** How p-values of several treatment arms are adjusted. */
public enum PValueCorrection {
    HOLM,
    BENJAMINI_HOCHBERG
}
