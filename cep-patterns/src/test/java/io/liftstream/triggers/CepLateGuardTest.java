package io.liftstream.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.events.ShopperEvent;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/** The CEP engine's late events are routed and counted, not dropped inside the CEP operator. */
class CepLateGuardTest {
    private static ShopperEvent event(String user, long t) {
        ShopperEvent e = new ShopperEvent();
        e.userId = user;
        e.event = "Product Added";
        e.messageId = user + "-" + t;
        e.timestamp = t;
        return e;
    }

    @Test
    void anEventAtOrBelowTheWatermarkGoesToTheLateOutputCounted() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, ShopperEvent, ShopperEvent> h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new CepLateGuard()), e -> e.userId, Types.STRING)) {
            h.open();
            h.processWatermark(1_000);
            h.processElement(new StreamRecord<>(event("ann", 1_000), 1_000)); // at the watermark: late
            h.processElement(new StreamRecord<>(event("bob", 900), 900)); // below: late
            h.processElement(new StreamRecord<>(event("cid", 1_001), 1_001)); // on time
            List<ShopperEvent> passed = h.extractOutputValues();
            assertThat(passed).extracting(e -> e.userId).containsExactly("cid");
            ConcurrentLinkedQueue<StreamRecord<LateEvent>> late = h.getSideOutput(KeyedTriggersOperator.LATE_EVENTS);
            assertThat(late).extracting(r -> r.getValue().event.userId + "@" + r.getValue().watermark)
                    .containsExactly("ann@1000", "bob@1000");
            assertThat(h.getEnvironment().getAccumulatorRegistry().getUserMap().get(KeyedTriggersOperator.LATE).getLocalValue())
                    .isEqualTo(2L);
        }
    }
}
