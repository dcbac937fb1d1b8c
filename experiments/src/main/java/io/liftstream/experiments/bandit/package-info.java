/**
 * Multi-armed bandit policies over per-arm posteriors that merge by addition: Thompson sampling
 * (Beta–Bernoulli for conversions, normal with unknown variance for continuous rewards such as
 * revenue), top-two Thompson sampling, UCB1, epsilon-greedy and uniform; a minimum share per arm and a
 * burn-in; and the propensity of every decision, for off-policy evaluation later.
 *
 * <p>Shape: sufficient statistics ({@link io.liftstream.experiments.bandit.ConversionStats},
 * {@link io.liftstream.experiments.bandit.ValueStats}) are what keyed state keeps and merges; an
 * immutable posterior snapshot ({@link io.liftstream.experiments.bandit.ArmPosteriors}) is built from
 * them and read by a {@link io.liftstream.experiments.bandit.BanditAllocator}. Randomness comes only
 * from a caller-supplied, seeded {@link java.util.SplittableRandom}; sampling never allocates.
 */
package io.liftstream.experiments.bandit;
