package io.liftstream.jobs.decisions;

import java.util.ArrayList;
import java.util.List;

/**
 * The versions of one experiment in effective-time order (ties: arrival order, the later wins), so a
 * request at time t sees the version in force at t. Versions that no request can need any more (all
 * but the last one at or before the watermark) are pruned. A Flink POJO.
 */
public class DefinitionHistory {
    public List<Version> versions = new ArrayList<>();

    public DefinitionHistory() {}

    public void add(long effectiveAt, String json) {
        Version v = new Version();
        v.effectiveAt = effectiveAt;
        v.json = json;
        int i = versions.size();
        while (i > 0 && versions.get(i - 1).effectiveAt > effectiveAt) {
            i--;
        }
        versions.add(i, v);
    }

    /** The version in force at {@code t}, or null. */
    public Version at(long t) {
        for (int i = versions.size() - 1; i >= 0; i--) {
            if (versions.get(i).effectiveAt <= t) {
                return versions.get(i);
            }
        }
        return null;
    }

    /** Drops versions superseded at or before {@code watermark}; true if any was dropped. */
    public boolean prune(long watermark) {
        int keepFrom = 0;
        for (int i = 1; i < versions.size(); i++) {
            if (versions.get(i).effectiveAt <= watermark) {
                keepFrom = i;
            }
        }
        if (keepFrom == 0) {
            return false;
        }
        versions.subList(0, keepFrom).clear();
        return true;
    }

    /**
     * One version: its JSON (normalized; null for a removal) and the time it takes effect (Long.MIN_VALUE:
     * always).
     */
    public static class Version {
        public long effectiveAt;
        public String json;

        public Version() {}

        /** A removal (a tombstone on the experiments topic): no definition is in force. */
        public boolean isRemoved() {
            return json == null;
        }

        /** {@code experiment_version}: the effective time in epoch ms, 0 for an untimed definition. */
        public long number() {
            return effectiveAt == Long.MIN_VALUE ? 0 : effectiveAt;
        }
    }
}
