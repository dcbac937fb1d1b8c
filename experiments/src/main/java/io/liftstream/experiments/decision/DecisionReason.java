package io.liftstream.experiments.decision;

/** Why a decision record has its arm; {@link #wireName} is the JSON value of {@code reason}. */
public enum DecisionReason {
    /** First assignment of the user in this experiment (bucketing or a bandit draw). */
    ASSIGNED("assigned"),
    /** The arm the user was assigned before. */
    STICKY("sticky"),
    /** Global or per-experiment holdout: no treatment, the default arm; outcomes count as control. */
    HOLDOUT("holdout"),
    /** The user opted out: the default arm, no experiment treatment. */
    CONSENT("consent"),
    /** The user is on the suppression list: the default arm, no experiment treatment. */
    SUPPRESSED("suppressed"),
    /** The frequency cap is reached: the default arm this time. */
    CAPPED("capped"),
    /** The experiment is paused: the default arm. */
    PAUSED("paused"),
    /** No definition of this experiment is in force at the request's time: arm null. */
    UNKNOWN_EXPERIMENT("unknown_experiment"),
    /** The experiment is stopped, or the user is outside its coverage or namespace: the default arm. */
    FALLBACK("fallback");

    public final String wireName;

    DecisionReason(String wireName) {
        this.wireName = wireName;
    }

    /** Whether the user is served the experiment's arm (an exposure that counts for its arm). */
    public boolean treated() {
        return this == ASSIGNED || this == STICKY;
    }
}
