/**
 * Experimentation logic with no Flink dependency: deterministic assignment, bandit policies and
 * sequential statistics over mergeable sufficient statistics. Operators in {@code jobs} call into it;
 * the build's enforcer rule keeps Flink out so the maths stays fast and unit-testable.
 */
package io.liftstream.experiments;
