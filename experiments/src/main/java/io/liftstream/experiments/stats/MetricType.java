package io.liftstream.experiments.stats;

/**
 * How a metric's per-unit variance follows from its sufficient statistics.
 *
 * <ul>
 *   <li>{@link #MEAN}: any numeric value per unit; sample variance with n − 1.</li>
 *   <li>{@link #PROPORTION}: a 0/1 value per unit (converted or not); variance p(1 − p), as gbstats'
 *       {@code ProportionStatistic} does, where p = sum / n.</li>
 * </ul>
 */
public enum MetricType {
    MEAN,
    PROPORTION
}
