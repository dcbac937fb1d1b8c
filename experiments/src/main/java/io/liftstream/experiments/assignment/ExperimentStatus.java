package io.liftstream.experiments.assignment;

/** Lifecycle of an experiment definition; {@link #wireName} is its JSON name. */
public enum ExperimentStatus {
    RUNNING("running"), PAUSED("paused"), STOPPED("stopped");

    public final String wireName;

    ExperimentStatus(String wireName) {
        this.wireName = wireName;
    }

    public static ExperimentStatus of(String wireName) {
        for (ExperimentStatus s : values()) {
            if (s.wireName.equals(wireName)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown status '" + wireName + "', expected running, paused or stopped");
    }
}
