package io.liftstream.jobs.decisions;

import io.liftstream.experiments.assignment.RewardSpec;

import java.io.Serializable;

/**
 * Simulation only: how a simulated user responds to the decision they received. Null in production.
 * The demo ({@code liftstream demo}) injects one so that shoppers react to the message the bandit
 * chose, with conversion rates the simulator knows, and the decision job learns from those reactions
 * like from any outcome.
 *
 * <p>For each decision of an experiment with a {@code reward}, {@link DecisionFunction} asks the model
 * whether and when the user performs the reward event. A response is scheduled as an outcome item of
 * the same user, inside the keyed decision operator (no edge between subtasks, hence no cycle), so
 * attribution, the reward window and the posterior loop treat it exactly like an outcome read from the
 * events stream: the bandit learns only from attributed outcomes. Each response is also published on
 * {@link DecisionFunction#SIMULATED_OUTCOMES}, when event time reaches it, for the results job.
 *
 * <p>An implementation must be a pure function of the decision (seed it from {@code decision_id}), so
 * a bounded run stays deterministic.
 */
public interface ResponseModel extends Serializable {
    /**
     * The user's reward event in response to {@code decision} (all fields set), or null for none. The
     * response's time must be after the decision and at most {@code reward.window()} later.
     */
    Response respond(DecisionRecord decision, RewardSpec reward);

    /** A simulated reward event: when, and the value of its numeric property (null for a conversion). */
    record Response(long at, Double revenue) implements Serializable {}
}
