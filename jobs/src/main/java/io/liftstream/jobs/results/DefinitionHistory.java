package io.liftstream.jobs.results;

import java.util.ArrayList;
import java.util.List;

/**
 * The versions of one experiment's definition by the event time they take effect, a Flink POJO.
 * Versions with equal times keep arrival order (the later one wins).
 */
public class DefinitionHistory {
    public List<DefinitionVersion> versions = new ArrayList<>();

    public DefinitionHistory() {}

    /** Inserts in effective-time order, after versions of the same time. */
    public void add(DefinitionVersion v) {
        int i = versions.size();
        while (i > 0 && versions.get(i - 1).effective > v.effective) {
            i--;
        }
        versions.add(i, v);
    }

    /** The version in force at {@code t}: the last with effective ≤ t, or null. */
    public DefinitionVersion at(long t) {
        DefinitionVersion found = null;
        for (DefinitionVersion v : versions) {
            if (v.effective <= t) {
                found = v;
            } else {
                break;
            }
        }
        return found;
    }

    /** The latest effective time ≤ t of any version other than one in force from the beginning, or MIN. */
    public long lastChangeAtOrBefore(long t) {
        long last = Long.MIN_VALUE;
        for (DefinitionVersion v : versions) {
            if (v.effective <= t) {
                last = v.effective;
            } else {
                break;
            }
        }
        return last;
    }

    /** Drops the versions superseded at {@code watermark}: those before the one in force then. */
    public void prune(long watermark) {
        int inForce = -1;
        for (int i = 0; i < versions.size(); i++) {
            if (versions.get(i).effective <= watermark) {
                inForce = i;
            }
        }
        if (inForce > 0) {
            versions.subList(0, inForce).clear();
        }
    }
}
