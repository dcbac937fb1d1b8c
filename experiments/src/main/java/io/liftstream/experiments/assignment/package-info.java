/**
 * Deterministic, GrowthBook-compatible assignment of users to experiment arms, namespaces and
 * holdouts. Everything here is a pure function of the user id and the experiment definition, so the
 * same user gets the same arm in a GrowthBook SDK, in {@code ./liftstream assign} and in the decision
 * job, on any machine and after any restart.
 *
 * <p>Reference: the GrowthBook SDK specification (https://docs.growthbook.io/lib/build-your-own) and its
 * reference implementation {@code packages/sdk-js/src/util.ts} in github.com/growthbook/growthbook;
 * the shared SDK test cases ({@code cases.json}) are replayed by the tests.
 */
package io.liftstream.experiments.assignment;
