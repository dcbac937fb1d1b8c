package io.liftstream.experiments.results;

/**
 * What to do with an experiment now, and why.
 *
 * @param action {@code continue}, {@code ship <arm>}, {@code stop} or {@code investigate_srm}
 * @param reason one sentence with the numbers behind it
 */
public record Recommendation(String action, String reason) {
    public static final String CONTINUE = "continue";
    public static final String STOP = "stop";
    public static final String INVESTIGATE_SRM = "investigate_srm";

    public static Recommendation ship(String arm, String reason) {
        return new Recommendation("ship " + arm, reason);
    }
}
