package io.liftstream.jobs.results;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The versions of one experiment's definition by the event time they take effect, a Flink POJO.
 * Versions with equal times keep arrival order (the later one wins). Each version knows the start
 * of its phase ({@link DefinitionVersion#phaseStart}): a change of allocation starts a phase, a
 * change of anything else (status, metrics) does not. Pruning keeps that start on the versions that
 * stay, so a phase's start never changes.
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
        for (int j = Math.max(0, i); j < versions.size(); j++) {
            DefinitionVersion current = versions.get(j);
            if (j == 0) {
                // The earliest version starts the first phase (key Long.MIN_VALUE: from the beginning);
                // after pruning, the first version left keeps the start it had.
                if (current.phaseStart == null || j == i) {
                    current.phaseStart = Long.MIN_VALUE;
                }
                continue;
            }
            DefinitionVersion before = versions.get(j - 1);
            current.phaseStart = Objects.equals(before.allocation, current.allocation) ? before.phaseStart : current.effective;
        }
    }

    /**
     * The start of the phase in force at {@code t} (see {@link DefinitionVersion#phaseStart}), or
     * {@link Long#MIN_VALUE} (the first phase) when no version is in force or it has no phase start.
     */
    public long phaseStartAt(long t) {
        DefinitionVersion v = at(t);
        // A version without a phase start comes from state written before phases: the first phase.
        return v == null || v.phaseStart == null ? Long.MIN_VALUE : v.phaseStart;
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
