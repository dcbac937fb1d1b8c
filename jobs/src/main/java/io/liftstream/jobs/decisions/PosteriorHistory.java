package io.liftstream.jobs.decisions;

import java.util.ArrayList;
import java.util.List;

/**
 * The posterior snapshots of one experiment as the loop published them, by increasing boundary: a
 * decision at t reads the last one with {@code boundary ≤ epochStart(t)}. Pruned like {@link
 * DefinitionHistory}. A Flink POJO.
 */
public class PosteriorHistory {
    public List<Point> points = new ArrayList<>();

    public PosteriorHistory() {}

    public void add(long boundary, List<ArmTally> arms) {
        Point p = new Point();
        p.boundary = boundary;
        p.arms = new ArrayList<>(arms);
        int i = points.size();
        while (i > 0 && points.get(i - 1).boundary > boundary) {
            i--;
        }
        if (i > 0 && points.get(i - 1).boundary == boundary) {
            points.set(i - 1, p);
        } else {
            points.add(i, p);
        }
    }

    public Point at(long limit) {
        for (int i = points.size() - 1; i >= 0; i--) {
            if (points.get(i).boundary <= limit) {
                return points.get(i);
            }
        }
        return null;
    }

    public boolean prune(long limit) {
        int keepFrom = 0;
        for (int i = 1; i < points.size(); i++) {
            if (points.get(i).boundary <= limit) {
                keepFrom = i;
            }
        }
        if (keepFrom == 0) {
            return false;
        }
        points.subList(0, keepFrom).clear();
        return true;
    }

    /** Cumulative tallies of rewards observed before {@code boundary}. */
    public static class Point {
        public long boundary;
        public List<ArmTally> arms = new ArrayList<>();

        public Point() {}
    }
}
