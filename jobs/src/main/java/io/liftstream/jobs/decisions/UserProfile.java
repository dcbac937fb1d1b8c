package io.liftstream.jobs.decisions;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything the decision job keeps about one user (one keyed value, read and written once per
 * batch of items): the durable facts (opted out, suppressed, erased) and the activity (sticky
 * assignments, open exposures awaiting their reward, recent treatments for frequency caps).
 * Activity is bounded: exposures leave at their window's end, treatments after the cap's period,
 * and all of it after {@code state-retention} without activity. The facts are not activity: they
 * stay until a control event changes them (an opt-out must not lapse because the user was quiet),
 * so a profile holding only facts has no due time and no timer. A Flink POJO.
 */
public class UserProfile {
    public boolean optedOut;
    public boolean suppressed;
    /**
     * {@code delete_user} happened: the only thing kept about the user is "do not process this id"
     * (no assignment, exposure, cap or other flag). Final: no later control event lifts it.
     */
    public boolean erased;
    public List<Assignment> assignments = new ArrayList<>();
    public List<Exposure> exposures = new ArrayList<>();
    public List<Treatment> treatments = new ArrayList<>();
    /** No time: no timer, no due time. */
    public static final long NONE = Long.MIN_VALUE;

    /**
     * The user's one wake-up timer, or {@link #NONE}: at the earlier of the next reward window's end
     * and {@link #dueAt} when it was set. Activity never moves it later; when it fires early it
     * re-arms itself.
     */
    public long wakeAt = NONE;
    /**
     * When the profile expires: state-retention after the user's last item or the end of their last
     * reward window (rewarded or not), whichever is later; or {@link #NONE}.
     */
    public long dueAt = NONE;

    public UserProfile() {}

    /** Nothing worth keeping: the state can be cleared. */
    public boolean isEmpty() {
        return !hasFacts() && !hasActivity();
    }

    /** Holds a durable fact: opted out, suppressed or erased. */
    public boolean hasFacts() {
        return optedOut || suppressed || erased;
    }

    /** Holds something that expires with {@code state-retention}: assignments, exposures, treatments. */
    public boolean hasActivity() {
        return !assignments.isEmpty() || !exposures.isEmpty() || !treatments.isEmpty();
    }

    /** Whether decisions must leave the user untreated for consent: opted out or erased. */
    public boolean refusesProcessing() {
        return optedOut || erased;
    }

    /** A profile with this one's durable facts and nothing else (its activity expired). */
    public UserProfile factsOnly() {
        UserProfile p = new UserProfile();
        p.optedOut = optedOut;
        p.suppressed = suppressed;
        p.erased = erased;
        return p;
    }

    /** The profile of an erased user: "do not process this id", nothing else. */
    public static UserProfile erasedProfile() {
        UserProfile p = new UserProfile();
        p.erased = true;
        return p;
    }

    public Assignment assignment(String experimentId) {
        for (Assignment a : assignments) {
            if (a.experimentId.equals(experimentId)) {
                return a;
            }
        }
        return null;
    }

    public void assign(String experimentId, String arm, double propensity, long at) {
        assignments.removeIf(a -> a.experimentId.equals(experimentId));
        Assignment a = new Assignment();
        a.experimentId = experimentId;
        a.arm = arm;
        a.propensity = propensity;
        a.assignedAt = at;
        assignments.add(a);
    }

    /** Treatments in this experiment after {@code after} (exclusive); drops older ones of the experiment. */
    public int treatmentsAfter(String experimentId, long after) {
        treatments.removeIf(t -> t.experimentId.equals(experimentId) && t.at <= after);
        int n = 0;
        for (Treatment t : treatments) {
            if (t.experimentId.equals(experimentId)) {
                n++;
            }
        }
        return n;
    }

    /** The earliest end of an open reward window, or Long.MAX_VALUE when none is open. */
    public long firstDeadline() {
        long first = Long.MAX_VALUE;
        for (Exposure e : exposures) {
            first = Math.min(first, e.deadline);
        }
        return first;
    }

    public long lastDeadline() {
        long last = Long.MIN_VALUE;
        for (Exposure e : exposures) {
            last = Math.max(last, e.deadline);
        }
        return last;
    }

    /** A sticky assignment. */
    public static class Assignment {
        public String experimentId;
        public String arm;
        public double propensity;
        public long assignedAt;

        public Assignment() {}
    }

    /** A decision awaiting its reward: the arm (null for the holdout group) and the reward's terms. */
    public static class Exposure {
        public String experimentId;
        public String arm;
        public long at;
        public long deadline;
        public String rewardEvent;
        /** conversion, or the property that carries the value. */
        public String rewardValue;

        public Exposure() {}
    }

    /** A treatment, counted by the frequency cap. */
    public static class Treatment {
        public String experimentId;
        public long at;

        public Treatment() {}
    }
}
