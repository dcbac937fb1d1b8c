package io.liftstream.jobs.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.events.ShopperEvent;
import io.liftstream.triggers.CartLine;
import io.liftstream.triggers.Silence;
import io.liftstream.triggers.TriggerContext;
import io.liftstream.triggers.TriggerRecord;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every record type on the hot path is a Flink POJO: serialized by PojoSerializer, never Kryo. */
class PojoTypesTest {

    @ParameterizedTest
    @ValueSource(classes = {ShopperEvent.class, ParsedLine.class, RejectedLine.class, TriggerRecord.class,
            TriggerContext.class, CartLine.class, Silence.class, io.liftstream.triggers.LateEvent.class})
    void isAPojoWithoutGenericFields(Class<?> type) {
        TypeInformation<?> info = TypeInformation.of(type);
        assertThat(info).isInstanceOf(PojoTypeInfo.class);
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        SerializerConfigImpl config = new SerializerConfigImpl(conf);
        // Throws UnsupportedOperationException if any field would need Kryo.
        assertThat(info.createSerializer(config)).isInstanceOf(PojoSerializer.class);
    }
}
