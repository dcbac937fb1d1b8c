package io.liftstream.experiments.assignment;

/** One arm (GrowthBook: variation) of an experiment: its name and its traffic weight in [0, 1]. */
public record Arm(String name, double weight) {
    public Arm {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("arm name must not be empty");
        }
        if (!(weight >= 0 && weight <= 1)) {
            throw new IllegalArgumentException("arm '" + name + "': weight must be in [0, 1], was " + weight);
        }
    }
}
