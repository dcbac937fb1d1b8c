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

    @Test
    void everyStatefulOperatorHasItsStableUid() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        TriggerDetector.detect(events(env), TriggerSettings.defaults()).sinkTo(new DiscardingSink<>());

        List<String> uids = env.getStreamGraph().getStreamNodes().stream()
                .map(StreamNode::getTransformationUID)
                .toList();
        assertThat(uids).contains(
                TriggerDetector.Uids.CART_PATTERN,
                TriggerDetector.Uids.CART_CONTEXT,
                TriggerDetector.Uids.CHECKOUT_PATTERN,
                TriggerDetector.Uids.BROWSE_PATTERN,
                TriggerDetector.Uids.BROWSE_RUN,
                TriggerDetector.Uids.SPIKE_PATTERN,
                TriggerDetector.Uids.SPIKE_COOLDOWN);
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
