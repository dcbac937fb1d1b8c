package io.liftstream.jobs.decisions;

import static io.liftstream.jobs.decisions.DecisionFixtures.HOUR;
import static io.liftstream.jobs.decisions.DecisionFixtures.MINUTE;
import static io.liftstream.jobs.decisions.DecisionFixtures.SECOND;
import static io.liftstream.jobs.decisions.DecisionFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.experiments.decision.RewardTally;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Where {@link GatedDecisionOperator} keeps things between items: the heap buffer of waiting items
 * (written to union state at a snapshot), the write-back cache of profiles, and one wake-up timer per
 * user. On seeded random streams of requests to two experiments (a capped A/B test and a Thompson
 * bandit), orders, consent changes and deletions, over hours with a one-hour retention (so windows
 * end, profiles expire and come back), every configuration must give the decisions and reward deltas
 * of the plain configuration: no cache and no interruption.
 */
class GatedDecisionOperatorStateTest {
    private static final int MAX_PARALLELISM = 128;
    private static final long DISORDER = 5 * SECOND;

    static Stream<Arguments> cachesBackendsAndSeeds() {
        List<Arguments> args = new ArrayList<>();
        for (long seed : new long[] {1, 2, 3}) {
            for (DecisionHarness.Backend backend : DecisionHarness.Backend.values()) {
                for (int cache : new int[] {0, 2, 10_000}) {
                    args.add(Arguments.of(seed, backend, cache));
                }
            }
        }
        return args.stream();
    }

    static Stream<Arguments> backendsAndSeeds() {
        return Stream.of(Arguments.of(4L, DecisionHarness.Backend.HEAP), Arguments.of(5L, DecisionHarness.Backend.ROCKSDB));
    }

    static DecisionSettings settings(int cache) {
        return DecisionSettings.defaults().withStateRetention(Duration.ofHours(1)).withProfileCache(cache);
    }

    /**
     * A snapshot halfway (profiles in the cache, items waiting for event time) restored into a fresh
     * operator changes nothing, whatever the cache size; each stored profile with activity has
     * exactly one timer, and once event time ends only durable facts (opt-outs, erasures) remain.
     */
    @ParameterizedTest
    @MethodSource("cachesBackendsAndSeeds")
    void theCacheAndASnapshotChangeNothing(long seed, DecisionHarness.Backend backend, int cache) throws Exception {
        List<UserItem> items = randomItems(seed);
        Result expected = uninterrupted(items, backend);

        Result actual = new Result();
        int half = items.size() / 2;
        long maxSeen = Long.MIN_VALUE;
        OperatorSubtaskState snapshot;
        try (DecisionHarness d = open(new DecisionHarness(settings(cache), backend))) {
            for (UserItem item : items.subList(0, half)) {
                maxSeen = feed(d, item, maxSeen);
            }
            assertThat(waiting(d)).as("items waiting for event time at the snapshot").isPositive();
            var profiles = d.profiles(); // snapshots first, writing the cache
            assertThat(profiles).isNotEmpty();
            long active = profiles.values().stream().filter(UserProfile::hasActivity).count();
            assertThat((long) d.timers()).as("one wake-up timer per stored profile with activity").isEqualTo(active);
            assertThat(profiles.values()).as("a profile without activity holds facts").allMatch(p -> p.hasActivity() || p.hasFacts());
            snapshot = d.h.snapshot(100, 100);
            actual.add(d);
        }
        try (DecisionHarness d = new DecisionHarness(settings(cache), backend)) {
            d.h.setup();
            d.h.initializeState(snapshot);
            d.h.open();
            for (UserItem item : items.subList(half, items.size())) {
                maxSeen = feed(d, item, maxSeen);
            }
            d.advance(Long.MAX_VALUE);
            actual.add(d);
            assertThat(d.profiles().values()).as("every activity expired; the durable facts stay")
                    .allMatch(p -> !p.hasActivity() && p.hasFacts() && p.wakeAt == UserProfile.NONE);
            assertThat(d.timers()).isZero();
        }
        assertThat(actual.decisions()).isEqualTo(expected.decisions());
        assertThat(actual.rewards).isEqualTo(expected.rewards);
    }

    /**
     * Rescaling: one subtask's snapshot, its buffer holding items event time has not reached, is
     * restored into two subtasks; each keeps exactly the waiting items of the users it now owns, and
     * together they decide as the single subtask would have.
     */
    @ParameterizedTest
    @MethodSource("backendsAndSeeds")
    void restoringIntoTwoSubtasksSplitsTheWaitingItemsByKeyGroup(long seed, DecisionHarness.Backend backend) throws Exception {
        List<UserItem> items = randomItems(seed);
        Result expected = uninterrupted(items, backend);

        Result actual = new Result();
        int half = items.size() / 2;
        long maxSeen = Long.MIN_VALUE;
        OperatorSubtaskState snapshot;
        int waitingAtSnapshot;
        try (DecisionHarness one = open(new DecisionHarness(settings(10_000), backend, null, MAX_PARALLELISM, 1, 0))) {
            for (UserItem item : items.subList(0, half)) {
                maxSeen = feed(one, item, maxSeen);
            }
            waitingAtSnapshot = waiting(one);
            assertThat(waitingAtSnapshot).isPositive();
            snapshot = one.h.snapshot(1, 1);
            actual.add(one);
        }
        List<DecisionHarness> two = new ArrayList<>();
        try {
            int restored = 0;
            for (int index = 0; index < 2; index++) {
                DecisionHarness d = new DecisionHarness(settings(10_000), backend, null, MAX_PARALLELISM, 2, index);
                two.add(d);
                d.h.setup();
                d.h.initializeState(AbstractStreamOperatorTestHarness.repartitionOperatorState(snapshot, MAX_PARALLELISM, 1, 2, index));
                d.h.open();
                restored += waiting(d);
            }
            assertThat(restored).as("every waiting item restored exactly once").isEqualTo(waitingAtSnapshot);
            for (UserItem item : items.subList(half, items.size())) {
                int owner = KeyGroupRangeAssignment.assignKeyToParallelOperator(item.userId, MAX_PARALLELISM, 2);
                two.get(owner).item(item);
                maxSeen = Math.max(maxSeen, item.timestamp);
                for (DecisionHarness d : two) {
                    d.advance(maxSeen - DISORDER - 1);
                }
            }
            for (DecisionHarness d : two) {
                d.advance(Long.MAX_VALUE);
                actual.add(d);
                assertThat(waiting(d)).isZero();
            }
        } finally {
            for (DecisionHarness d : two) {
                d.close();
            }
        }
        assertThat(actual.decisions()).isEqualTo(expected.decisions());
        assertThat(actual.rewards).isEqualTo(expected.rewards);
    }

    private static Result uninterrupted(List<UserItem> items, DecisionHarness.Backend backend) throws Exception {
        Result r = new Result();
        try (DecisionHarness d = open(new DecisionHarness(settings(0), backend))) {
            long maxSeen = Long.MIN_VALUE;
            for (UserItem item : items) {
                maxSeen = feed(d, item, maxSeen);
            }
            d.advance(Long.MAX_VALUE);
            r.add(d);
        }
        assertThat(r.decisions).hasSizeGreaterThan(items.size() / 3);
        assertThat(r.decisions).anyMatch(s -> s.contains(":sticky:"))
                .anyMatch(s -> s.contains(":consent:"))
                .anyMatch(s -> s.contains(":capped:"))
                .anyMatch(s -> s.contains(":holdout:"));
        assertThat(r.rewards.values()).as("some exposures rewarded").anyMatch(t -> t.sum() > 0);
        return r;
    }

    private static DecisionHarness open(DecisionHarness d) throws Exception {
        d.open();
        d.definition(DecisionFunctionTest.AB.replace("\"frequency_cap\"", "\"holdout_pct\":10,\"frequency_cap\""));
        d.definition(DecisionFunctionTest.BANDIT);
        return d;
    }

    /** Feeds one item, then moves event time as the job's watermarks would (bounded disorder). */
    private static long feed(DecisionHarness d, UserItem item, long maxSeen) throws Exception {
        d.item(item);
        long seen = Math.max(maxSeen, item.timestamp);
        d.advance(seen - DISORDER - 1);
        return seen;
    }

    private static int waiting(DecisionHarness d) {
        return ((GatedDecisionOperator) d.h.getOperator()).waitingItems();
    }

    /** 40 users over 6 hours: requests, orders, consent changes, a few deletions; up to 5 s out of order. */
    static List<UserItem> randomItems(long seed) {
        Random rnd = new Random(seed);
        List<UserItem> items = new ArrayList<>();
        for (int u = 0; u < 40; u++) {
            String user = "u" + u;
            int n = 3 + rnd.nextInt(25);
            for (int i = 0; i < n; i++) {
                long t = T0 + (long) (rnd.nextDouble() * 6 * HOUR);
                UserItem r = new UserItem();
                r.kind = UserItem.REQUEST;
                r.requestId = "r" + seed + "-" + u + "-" + i;
                r.userId = user;
                r.experimentId = rnd.nextBoolean() ? "ab" : "bandit";
                r.timestamp = t;
                items.add(r);
                if (rnd.nextDouble() < 0.3) {
                    UserItem o = new UserItem();
                    o.kind = UserItem.OUTCOME;
                    o.event = "Order Completed";
                    o.userId = user;
                    o.revenue = 10.0;
                    o.timestamp = t + (long) (rnd.nextDouble() * 40 * MINUTE);
                    items.add(o);
                }
            }
            if (rnd.nextDouble() < 0.3) {
                items.add(control(user, "consent", rnd.nextBoolean() ? "opt_out" : "opt_in", T0 + (long) (rnd.nextDouble() * 6 * HOUR)));
            }
            if (rnd.nextDouble() < 0.15) {
                items.add(control(user, "delete_user", null, T0 + (long) (rnd.nextDouble() * 6 * HOUR)));
            }
        }
        items.sort(Comparator.comparingLong((UserItem i) -> i.timestamp + Math.floorMod(i.toString().hashCode(), (int) DISORDER)));
        return items;
    }

    private static UserItem control(String user, String type, String status, long t) {
        UserItem c = new UserItem();
        c.kind = UserItem.CONTROL;
        c.control = type;
        c.status = status;
        c.userId = user;
        c.timestamp = t;
        return c;
    }

    /** Decisions (sorted: subtasks interleave) and reward deltas summed by experiment, arm and epoch. */
    static final class Result {
        final List<String> decisions = new ArrayList<>();
        final TreeMap<String, RewardTally> rewards = new TreeMap<>();

        void add(DecisionHarness d) {
            for (DecisionRecord r : d.drain()) {
                decisions.add(r.requestId + ":" + r.experimentId + ":" + r.reason + ":" + r.arm + ":" + r.inHoldout + ":" + r.propensity
                        + ":" + r.timestamp);
            }
            for (LoopRecord l : d.loop()) {
                if (l.kind == LoopRecord.DELTA) {
                    rewards.computeIfAbsent(l.experimentId + "/" + l.arm + "/" + l.epoch, k -> new RewardTally()).add(l.tally);
                }
            }
        }

        List<String> decisions() {
            List<String> sorted = new ArrayList<>(decisions);
            sorted.sort(null);
            return sorted;
        }
    }
}
