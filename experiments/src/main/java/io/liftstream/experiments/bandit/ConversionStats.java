package io.liftstream.experiments.bandit;

/**
 * Sufficient statistics of one arm's 0/1 rewards: trials and successes. Merge by addition, so partial
 * counts from many subtasks or time windows combine exactly.
 */
public record ConversionStats(long trials, long successes) {
    public static final ConversionStats EMPTY = new ConversionStats(0, 0);

    public ConversionStats {
        if (trials < 0 || successes < 0 || successes > trials) {
            throw new IllegalArgumentException("need 0 <= successes <= trials, was " + successes + "/" + trials);
        }
    }

    public ConversionStats add(boolean success) {
        return new ConversionStats(trials + 1, successes + (success ? 1 : 0));
    }

    public ConversionStats plus(ConversionStats o) {
        return new ConversionStats(trials + o.trials, successes + o.successes);
    }
}
