package io.liftstream.jobs.decisions;

import io.liftstream.experiments.decision.PosteriorEpochs;
import io.liftstream.jobs.experiments.ExperimentDefinitionJson;

import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** A harness around {@link GatedDecisionOperator}, driven by hand: items, definitions, watermarks, loop markers. */
final class DecisionHarness implements AutoCloseable {
    enum Backend {
        HEAP(HashMapStateBackend::new),
        ROCKSDB(EmbeddedRocksDBStateBackend::new);

        private final Supplier<StateBackend> factory;

        Backend(Supplier<StateBackend> factory) {
            this.factory = factory;
        }
    }

    final KeyedTwoInputStreamOperatorTestHarness<String, UserItem, BroadcastItem, DecisionRecord> h;
    final PosteriorEpochs epochs;
    private long checkpoint;

    DecisionHarness(DecisionSettings settings, Backend backend) throws Exception {
        this(settings, backend, null);
    }

    /** With simulated users who respond as {@code responses} says (null: none). */
    DecisionHarness(DecisionSettings settings, Backend backend, ResponseModel responses) throws Exception {
        this(settings, backend, responses, 128, 1, 0);
    }

    /** Subtask {@code index} of {@code parallelism}. */
    DecisionHarness(DecisionSettings settings, Backend backend, ResponseModel responses, int maxParallelism, int parallelism, int index)
            throws Exception {
        h = new KeyedTwoInputStreamOperatorTestHarness<>(new GatedDecisionOperator(new DecisionFunction(settings, responses)),
                new DecisionJob.ByUser(), null, Types.STRING, maxParallelism, parallelism, index);
        h.setStateBackend(backend.factory.get());
        epochs = new PosteriorEpochs(settings.posteriorInterval);
    }

    DecisionHarness open() throws Exception {
        h.open();
        return this;
    }

    void definition(String json) throws Exception {
        var d = ExperimentDefinitionJson.parse(json);
        long at = d.timestamp() == null ? Long.MIN_VALUE : d.timestamp().toEpochMilli();
        h.processElement2(new StreamRecord<>(BroadcastItem.definition(d.experimentId(), at, ExperimentDefinitionJson.write(d))));
    }

    void item(UserItem item) throws Exception {
        h.processElement1(new StreamRecord<>(item, item.timestamp));
    }

    void request(String requestId, String user, String experiment, long t) throws Exception {
        UserItem i = new UserItem();
        i.kind = UserItem.REQUEST;
        i.requestId = requestId;
        i.userId = user;
        i.experimentId = experiment;
        i.timestamp = t;
        item(i);
    }

    void control(String type, String user, String status, long t) throws Exception {
        UserItem i = new UserItem();
        i.kind = UserItem.CONTROL;
        i.control = type;
        i.userId = user;
        i.status = status;
        i.timestamp = t;
        item(i);
    }

    void order(String user, long t, double revenue) throws Exception {
        UserItem i = new UserItem();
        i.kind = UserItem.OUTCOME;
        i.event = "Order Completed";
        i.userId = user;
        i.revenue = revenue;
        i.timestamp = t;
        item(i);
    }

    /** Both input watermarks to {@code t}, and a loop marker that lets the operator follow them. */
    void advance(long t) throws Exception {
        h.processWatermark1(new Watermark(t));
        h.processWatermark2(new Watermark(t));
        marker(t == Long.MAX_VALUE ? t : epochs.start(t));
    }

    void marker(long g) throws Exception {
        h.processElement2(new StreamRecord<>(BroadcastItem.marker(g)));
    }

    void posterior(String experiment, long boundary, List<ArmTally> arms) throws Exception {
        h.processElement2(new StreamRecord<>(BroadcastItem.posterior(experiment, boundary, arms)));
    }

    List<DecisionRecord> drain() {
        List<DecisionRecord> out = new ArrayList<>(h.extractOutputValues());
        h.getOutput().clear();
        return out;
    }

    List<LoopRecord> loop() {
        List<LoopRecord> out = new ArrayList<>();
        var q = h.getSideOutput(DecisionFunction.LOOP_OUT);
        if (q != null) {
            for (StreamRecord<LoopRecord> r : q) {
                out.add(r.getValue());
            }
            q.clear();
        }
        return out;
    }

    /**
     * Keys in the keyed state, after a snapshot has written the operator's profile cache to it (as
     * every checkpoint does).
     */
    long keyedStateEntries() throws Exception {
        h.snapshot(++checkpoint, checkpoint);
        KeyedStateBackend<Object> backend = h.getOperator().getKeyedStateBackend();
        long n = 0;
        for (String state : DecisionFunction.KEYED_STATES) {
            try (Stream<Object> keys = backend.getKeys(state, VoidNamespace.INSTANCE)) {
                n += keys.count();
            }
        }
        return n;
    }

    /**
     * The user's profile as the state backend holds it (after a snapshot has written the operator's
     * profile cache to it), or null.
     */
    UserProfile profile(String user) throws Exception {
        h.snapshot(++checkpoint, checkpoint);
        KeyedStateBackend<Object> backend = h.getOperator().getKeyedStateBackend();
        Object before = backend.getCurrentKey();
        backend.setCurrentKey(user);
        try {
            return backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                    new ValueStateDescriptor<>(GatedDecisionOperator.PROFILE_STATE, Types.POJO(UserProfile.class))).value();
        } finally {
            if (before != null) {
                backend.setCurrentKey(before);
            }
        }
    }

    /** Every stored profile by user (after a snapshot has written the operator's profile cache). */
    java.util.Map<String, UserProfile> profiles() throws Exception {
        h.snapshot(++checkpoint, checkpoint);
        KeyedStateBackend<Object> backend = h.getOperator().getKeyedStateBackend();
        List<String> users;
        try (Stream<Object> keys = backend.getKeys(GatedDecisionOperator.PROFILE_STATE, VoidNamespace.INSTANCE)) {
            users = keys.map(k -> (String) k).toList();
        }
        java.util.Map<String, UserProfile> out = new java.util.TreeMap<>();
        for (String u : users) {
            out.put(u, profile(u));
        }
        return out;
    }

    int timers() {
        return h.numEventTimeTimers();
    }

    @Override
    public void close() throws Exception {
        h.close();
    }
}
