package io.liftstream.jobs.decisions.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.jobs.decisions.BroadcastItem;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/** The loop source's run filter, its counter, and the runs a checkpointed split keeps. */
class LoopTopicSourceTest {

    /** Collects what the emitter emits. */
    static final class Collected implements SourceOutput<BroadcastItem> {
        final List<BroadcastItem> items = new ArrayList<>();

        @Override
        public void collect(BroadcastItem item) {
            items.add(item);
        }

        @Override
        public void collect(BroadcastItem item, long timestamp) {
            items.add(item);
        }

        @Override
        public void emitWatermark(Watermark watermark) {}

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}
    }

    private static ConsumerRecord<byte[], byte[]> record(long offset, String run, BroadcastItem item) {
        return new ConsumerRecord<>("loop", 0, offset, LoopMessages.key(run, item), LoopMessages.value(item));
    }

    @Test
    void otherRunsMessagesAreSkippedAndCountedButAdvanceTheOffset() {
        SimpleCounter others = new SimpleCounter();
        LoopTopicSource.Emitter emitter = new LoopTopicSource.Emitter(others);
        LoopTopicSource.Position position = new LoopTopicSource.Position("loop", 0, List.of("old", "new"));
        Collected out = new Collected();
        emitter.emitRecord(record(0, "other", BroadcastItem.marker(5)), out, position);
        emitter.emitRecord(record(1, "old", BroadcastItem.marker(6)), out, position);
        emitter.emitRecord(record(2, "new", BroadcastItem.marker(7)), out, position);
        emitter.emitRecord(record(3, "other", BroadcastItem.end()), out, position);
        assertThat(out.items).extracting(i -> i.boundary).containsExactly(6L, 7L);
        assertThat(others.getCount()).isEqualTo(2);
        assertThat(position.offset).isEqualTo(4);
    }

    /** A restore by a new command (a new run id) still reads what the runs before it published. */
    @Test
    void aSplitKeepsTheLastSixteenRunsItWasReadBy() throws Exception {
        LoopTopicSource.Split split = new LoopTopicSource.Split("loop", 42, List.of("r0"));
        for (int i = 1; i <= 20; i++) {
            split = split.withRun("r" + i).withRun("r" + i);
        }
        assertThat(split.runs).containsExactlyElementsOf(IntStream.rangeClosed(5, 20).mapToObj(i -> "r" + i).toList());
        LoopTopicSource.SplitSerializer serializer = new LoopTopicSource.SplitSerializer();
        LoopTopicSource.Split back = serializer.deserialize(serializer.getVersion(), serializer.serialize(split));
        assertThat(back.offset).isEqualTo(42);
        assertThat(back.runs).isEqualTo(split.runs);
    }

    /** A split checkpointed before run ids (version 1: topic and offset) reads the legacy run's messages. */
    @Test
    void aVersionOneSplitReadsTheLegacyRun() throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            out.writeUTF("loop");
            out.writeLong(7);
        }
        LoopTopicSource.Split v1 = new LoopTopicSource.SplitSerializer().deserialize(1, bytes.toByteArray());
        assertThat(v1.offset).isEqualTo(7);
        assertThat(v1.withRun("now").runs).containsExactly(LoopMessages.LEGACY_RUN, "now");
    }
}
