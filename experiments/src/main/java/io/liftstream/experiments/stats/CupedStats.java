package io.liftstream.experiments.stats;

/**
 * Mergeable sufficient statistics for CUPED (Deng, Xu, Kohavi, Walker 2013): the metric in the
 * experiment period ({@code post}), the same metric for the same units before it ({@code pre}), and
 * the cross term Σ post·pre. All merge by addition and update in O(1) per unit.
 *
 * @param post the metric during the experiment
 * @param pre the covariate (usually the metric before the experiment)
 * @param sumProduct Σ post·pre over the units
 */
public record CupedStats(SampleStats post, SampleStats pre, double sumProduct) {
    public static final CupedStats EMPTY = new CupedStats(SampleStats.EMPTY, SampleStats.EMPTY, 0);

    public CupedStats {
        if (post.n() != pre.n()) {
            throw new IllegalArgumentException("post and pre statistics must count the same units");
        }
    }

    /** One more unit with experiment-period value {@code y} and covariate {@code x}. */
    public CupedStats add(double y, double x) {
        return new CupedStats(post.add(y), pre.add(x), sumProduct + y * x);
    }

    public CupedStats merge(CupedStats other) {
        return new CupedStats(post.merge(other.post), pre.merge(other.pre), sumProduct + other.sumProduct);
    }

    /** Sample covariance of post and pre, (Σxy − ΣxΣy/n)/(n − 1); 0 when n &lt; 2. */
    public double covariance() {
        long n = post.n();
        if (n < 2) {
            return 0.0;
        }
        return (sumProduct - post.sum() * pre.sum() / n) / (n - 1);
    }
}
