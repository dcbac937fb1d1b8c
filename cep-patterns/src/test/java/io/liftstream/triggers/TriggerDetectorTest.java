package io.liftstream.triggers;

import static io.liftstream.triggers.TriggerFixtures.ALICE;
import static io.liftstream.triggers.TriggerFixtures.T0;
import static io.liftstream.triggers.TriggerFixtures.productViewed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.liftstream.events.ShopperEvent;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.graph.StreamNode;

import org.junit.jupiter.api.Test;

import java.util.List;

/** The topology builds (nothing runs): stable uids for every stateful operator, and a useful error. */
class TriggerDetectorTest {

    private static KeyedStream<ShopperEvent, String> events(StreamExecutionEnvironment env) {
        return env.fromData(productViewed(ALICE, T0, "p1")).keyBy(new TriggerDetector.ByUser());
    }

    private static List<String> uids(TriggerSettings settings) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        TriggerDetector.detect(events(env), settings).sinkTo(new DiscardingSink<>());
        return env.getStreamGraph().getStreamNodes().stream()
                .map(StreamNode::getTransformationUID)
                .toList();
    }

    @Test
    void theKeyedEngineIsOneStatefulOperatorBehindTheShuffle() {
        assertThat(uids(TriggerSettings.defaults())).containsExactlyInAnyOrder(
                null, // the source
                TriggerDetector.Uids.BY_USER,
                TriggerDetector.Uids.KEYED_TRIGGERS,
                null); // the sink
    }

    @Test
    void theDeprecatedDenseEngineKeyStillSelectsTheEngine() {
        Configuration conf = Configuration.fromMap(java.util.Map.of("liftstream.triggers.dense-engine", "CEP"));
        assertThat(TriggerSettings.from(conf).engine).isEqualTo(TriggerEngine.CEP);
    }

    @Test
    void theCepEngineRunsEveryPatternWithItsOwnUid() {
        Configuration conf = new Configuration();
        conf.set(TriggerOptions.ENGINE, TriggerEngine.CEP);
        List<String> uids = uids(TriggerSettings.from(conf));
        assertThat(uids).contains(
                TriggerDetector.Uids.CART_PATTERN,
                TriggerDetector.Uids.CART_CONTEXT,
                TriggerDetector.Uids.CHECKOUT_PATTERN,
                TriggerDetector.Uids.BROWSE_PATTERN,
                TriggerDetector.Uids.BROWSE_RUN,
                TriggerDetector.Uids.SPIKE_PATTERN,
                TriggerDetector.Uids.SPIKE_COOLDOWN);
        assertThat(uids).doesNotContain(TriggerDetector.Uids.KEYED_TRIGGERS);
    }

    @Test
    void everyTriggerOperatorChainsBehindOneShuffle() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        TriggerDetector.detect(events(env), TriggerSettings.defaults()).sinkTo(new DiscardingSink<>());
        long hashEdges = env.getStreamGraph().getStreamNodes().stream()
                .flatMap(n -> n.getInEdges().stream())
                .filter(e -> e.getPartitioner().toString().equals("HASH"))
                .count();
        assertThat(hashEdges).isEqualTo(1);
    }

    @Test
    void noEnabledTriggerIsAnError() {
        Configuration conf = new Configuration();
        conf.set(TriggerOptions.ENABLED, List.of());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();

        assertThatThrownBy(() -> TriggerDetector.detect(events(env), TriggerSettings.from(conf)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no trigger is enabled");
    }
}
