package io.liftstream.jobs.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.liftstream.events.EventType;
import io.liftstream.events.ShopperEvent;
import io.liftstream.jobs.input.EventClock;
import io.liftstream.jobs.input.EventTimeOptions;
import io.liftstream.jobs.serde.JsonLines;
import io.liftstream.jobs.serde.ParsedLine;
import io.liftstream.jobs.serde.SegmentEventParser;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

class ShopSimulatorTest {
    private static final SimulatorSettings SMALL = SimulatorSettings.builder().shoppers(2_000).seed(7).build();

    private static List<String> lines(SimulatorSettings settings) {
        List<String> lines = new ArrayList<>();
        ShopSimulator.Run run = new ShopSimulator(settings).run();
        while (run.hasNext()) {
            lines.add(run.next());
        }
        return lines;
    }

    /** The trigger job's view of the lines: parsed, then late or not by its own watermark generator. */
    private static final class JobView {
        final List<ParsedLine> valid = new ArrayList<>();
        final List<ParsedLine> late = new ArrayList<>();
        final Map<String, Integer> rejectedByReason = new HashMap<>();

        JobView(List<String> lines, Duration outOfOrderness) {
            SegmentEventParser parser = new SegmentEventParser();
            EventClock clock = new EventClock(outOfOrderness, EventTimeOptions.MAX_FUTURE_SKEW.defaultValue());
            for (String line : lines) {
                ParsedLine parsed = parser.parse(line);
                if (!parsed.isValid()) {
                    rejectedByReason.merge(parsed.error.split(":")[0], 1, Integer::sum);
                    continue;
                }
                switch (clock.judge(parsed.event.timestamp, EventClock.NONE)) {
                    case LATE:
                        late.add(parsed);
                        break;
                    case FUTURE:
                        rejectedByReason.merge("future_timestamp", 1, Integer::sum);
                        break;
                    default:
                        valid.add(parsed);
                }
            }
        }

        int rejected() {
            return rejectedByReason.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    @Test
    void theSameSeedGivesTheSameLinesAndAnotherSeedOthers() {
        List<String> first = lines(SMALL);
        assertThat(lines(SMALL)).isEqualTo(first);
        assertThat(lines(SMALL.toBuilder().seed(8).build())).isNotEqualTo(first);
        assertThat(first).hasSizeGreaterThan(10_000);
    }

    @Test
    void writesTheSameLinesToAFileAndReportsTheSameCounts(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("nested/events.jsonl");
        SimulatorStats written = new ShopSimulator(SMALL).writeTo(file);
        ShopSimulator.Run run = new ShopSimulator(SMALL).run();
        List<String> iterated = new ArrayList<>();
        run.forEachRemaining(iterated::add);

        assertThat(Files.readAllLines(file, StandardCharsets.UTF_8)).isEqualTo(iterated);
        assertThat(written.lines).isEqualTo(iterated.size());
        assertThat(run.stats().lines).isEqualTo(written.lines);
        assertThat(run.stats().lateLines).isEqualTo(written.lateLines);
    }

    @Test
    void funnelRatesAreRealistic() {
        ShopSimulator.Run run = new ShopSimulator(SimulatorSettings.defaults()).run();
        run.forEachRemaining(line -> {});
        SimulatorStats s = run.stats();

        assertThat(s.shoppers).isEqualTo(20_000);
        assertThat(s.funnelSessions).isGreaterThan(25_000);
        assertThat(s.addToCartRate()).isCloseTo(0.08, within(0.01));
        assertThat(s.checkoutRate()).isBetween(0.30, 0.40);
        assertThat(s.orderRate()).isBetween(0.60, 0.70);
        assertThat(s.recoverySessions).isPositive();
        assertThat((double) s.powerUsers / s.shoppers).isCloseTo(0.01, within(0.003));
        assertThat(s.bursts).isGreaterThan(s.powerUsers);
        assertThat(Duration.ofMillis(s.lastEventTime - s.firstEventTime)).isBetween(Duration.ofHours(20), Duration.ofHours(26));
    }

    @Test
    void theLinesHoldTheFunnelTheStatsReport() {
        SimulatorSettings clean = SMALL.toBuilder().badLineShare(0).lateShare(0).build();
        ShopSimulator.Run run = new ShopSimulator(clean).run();
        List<String> lines = new ArrayList<>();
        run.forEachRemaining(lines::add);
        SimulatorStats s = run.stats();
        JobView view = new JobView(lines, clean.lateBound);

        assertThat(view.rejected()).isZero();
        assertThat(view.late).isEmpty();
        Map<EventType, Integer> byType = new HashMap<>();
        Set<String> users = new HashSet<>();
        for (ParsedLine p : view.valid) {
            byType.merge(p.event.type, 1, Integer::sum);
            users.add(p.event.userId);
        }
        assertThat(byType.get(EventType.CHECKOUT_STARTED)).isEqualTo((int) (s.checkoutSessions + s.recoverySessions));
        assertThat(byType.get(EventType.ORDER_COMPLETED)).isEqualTo((int) (s.orderSessions + s.recoveryOrders));
        assertThat(byType.get(EventType.PRODUCT_ADDED)).isGreaterThanOrEqualTo((int) s.cartingSessions);
        assertThat(byType.get(EventType.PRODUCT_REMOVED)).isPositive();
        assertThat(byType.get(EventType.OTHER)).isPositive();
        assertThat(users).hasSize(s.shoppers);
        for (ParsedLine p : view.valid) {
            ShopperEvent e = p.event;
            if (e.type == EventType.PRODUCT_ADDED) {
                assertThat(e.price).isPositive();
                assertThat(e.quantity).isBetween(1, 3);
                assertThat(e.currency).isIn("EUR", "USD", "GBP");
                assertThat(e.productId).startsWith("prod-");
            }
        }
    }

    @Test
    void ordinaryDisorderStaysUnderTheMaxDisorderAndPowerUsersBurst() {
        SimulatorSettings clean = SMALL.toBuilder().badLineShare(0).lateShare(0).build();
        JobView view = new JobView(lines(clean), clean.lateBound);

        long max = Long.MIN_VALUE;
        long maxLag = 0;
        int behind = 0;
        for (ParsedLine p : view.valid) {
            if (p.event.timestamp < max) {
                behind++;
                maxLag = Math.max(maxLag, max - p.event.timestamp);
            }
            max = Math.max(max, p.event.timestamp);
        }
        assertThat(behind).as("some realistic disorder").isPositive();
        assertThat((double) behind / view.valid.size()).as("but mostly in order").isLessThan(0.15);
        assertThat(maxLag).isLessThan(clean.maxDisorder.toMillis());

        Map<String, Deque<Long>> recent = new HashMap<>();
        Set<String> bursting = new HashSet<>();
        for (ParsedLine p : view.valid) {
            Deque<Long> times = recent.computeIfAbsent(p.event.userId, u -> new ArrayDeque<>());
            times.addLast(p.event.timestamp);
            while (times.size() > 20) {
                times.removeFirst();
            }
            if (times.size() == 20 && times.getLast() - times.getFirst() < Duration.ofMinutes(5).toMillis()) {
                bursting.add(p.event.userId);
            }
        }
        ShopSimulator.Run run = new ShopSimulator(clean).run();
        run.forEachRemaining(line -> {});
        int powerUsers = run.stats().powerUsers;
        assertThat(powerUsers).isPositive();
        assertThat(bursting.size()).as("power users burst, others do not").isBetween(powerUsers / 2, powerUsers);
    }

    @Test
    void badAndLateLinesAreWhatTheParserAndTheWatermarksSee() {
        SimulatorSettings settings = SMALL.toBuilder().badLineShare(0.01).lateShare(0.005).build();
        ShopSimulator.Run run = new ShopSimulator(settings).run();
        List<String> lines = new ArrayList<>();
        run.forEachRemaining(lines::add);
        SimulatorStats s = run.stats();
        JobView view = new JobView(lines, settings.lateBound);

        assertThat(view.rejected()).isEqualTo(s.badLines);
        assertThat(view.rejectedByReason.get("malformed_json")).isEqualTo((int) s.malformedLines);
        assertThat(view.rejectedByReason.get("missing_identity")).isEqualTo((int) s.noIdentityLines);
        assertThat(view.rejectedByReason.get("invalid_timestamp")).isEqualTo((int) s.badTimestampLines);
        assertThat(view.rejectedByReason).containsOnlyKeys("malformed_json", "missing_identity", "invalid_timestamp");
        assertThat(view.late).hasSize((int) s.lateLines);
        assertThat(view.valid).hasSize((int) s.goodLines);

        assertThat((double) s.badLines / s.lines).isCloseTo(0.01, within(0.002));
        assertThat((double) s.lateLines / s.lines).isCloseTo(0.005, within(0.0015));
        assertThat(s.lateLines).isLessThanOrEqualTo(s.heldBack).isGreaterThan(s.heldBack * 9 / 10);
    }

    @Test
    void theDefaultSharesAreSmallButPresent() {
        ShopSimulator.Run run = new ShopSimulator(SimulatorSettings.builder().shoppers(5_000).build()).run();
        List<String> lines = new ArrayList<>();
        run.forEachRemaining(lines::add);
        SimulatorStats s = run.stats();
        JobView view = new JobView(lines, SimulatorSettings.DEFAULT_LATE_BOUND);

        assertThat(view.rejected()).isEqualTo(s.badLines).isPositive();
        assertThat(view.late).hasSize((int) s.lateLines);
        assertThat(s.lateLines).isPositive();
        assertThat((double) s.badLines / s.lines).isCloseTo(SimulatorSettings.DEFAULT_BAD_LINE_SHARE, within(0.001));
        assertThat((double) s.lateLines / s.lines).isCloseTo(SimulatorSettings.DEFAULT_LATE_SHARE, within(0.0007));
    }

    @Test
    void badAndLateSharesChangeNoShoppersBehaviour() {
        SimulatorSettings clean = SMALL.toBuilder().badLineShare(0).lateShare(0).build();
        SimulatorSettings dirty = SMALL.toBuilder().badLineShare(0.02).lateShare(0.01).build();
        JobView cleanView = new JobView(lines(clean), clean.lateBound);
        JobView dirtyView = new JobView(lines(dirty), dirty.lateBound);

        Set<String> cleanIds = new HashSet<>();
        cleanView.valid.forEach(p -> cleanIds.add(p.event.messageId));
        Set<String> dirtyIds = new HashSet<>();
        dirtyView.valid.forEach(p -> dirtyIds.add(p.event.messageId));
        dirtyView.late.forEach(p -> dirtyIds.add(p.event.messageId));

        assertThat(cleanIds).containsAll(dirtyIds);
        assertThat(dirtyIds.size() + dirtyView.rejected()).isEqualTo(cleanIds.size());
    }

    @Test
    void settingsAreValidatedWithEveryProblemNamed() {
        assertThatThrownBy(() -> SimulatorSettings.builder().shoppers(0).badLineShare(1.5)
                        .maxDisorder(Duration.ofSeconds(10)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("shoppers must be within [1, ")
                .hasMessageContaining("bad-line share must be within [0, 1], was 1.5")
                .hasMessageContaining("max disorder (PT10S) must be below the late bound (PT10S)");
        assertThatThrownBy(() -> SimulatorSettings.builder().spread(Duration.ofHours(30)).build())
                .hasMessageContaining("horizon must be at least the spread");
    }

    @Test
    void followsAJobsOutOfOrderness() {
        SimulatorSettings tight = SimulatorSettings.builder().forOutOfOrderness(Duration.ofSeconds(4)).build();
        assertThat(tight.lateBound).isEqualTo(Duration.ofSeconds(4));
        assertThat(tight.maxDisorder).isEqualTo(Duration.ofSeconds(2));
        SimulatorSettings loose = SimulatorSettings.builder().forOutOfOrderness(Duration.ofMinutes(1)).build();
        assertThat(loose.maxDisorder).isEqualTo(SimulatorSettings.DEFAULT_MAX_DISORDER);

        SimulatorSettings settings = SMALL.toBuilder().forOutOfOrderness(Duration.ofSeconds(4)).lateShare(0.005).build();
        ShopSimulator.Run run = new ShopSimulator(settings).run();
        List<String> lines = new ArrayList<>();
        run.forEachRemaining(lines::add);
        assertThat(new JobView(lines, Duration.ofSeconds(4)).late).hasSize((int) run.stats().lateLines).isNotEmpty();
    }

    @Test
    void timestampsAreIsoMillisUtc() {
        StringBuilder b = new StringBuilder();
        ShopSimulator.IsoMillis iso = new ShopSimulator.IsoMillis();
        for (long t : new long[] {0L, 1_763_632_800_007L, 1_763_632_859_999L, 1_763_719_200_090L, 1_763_632_801_100L}) {
            b.setLength(0);
            iso.append(b, t);
            assertThat(b.toString()).isEqualTo(JsonLines.instant(t));
        }
    }
}
