package io.liftstream.jobs.results;

import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.experiments.results.ResultsMemory;
import io.liftstream.experiments.results.ResultsTotals;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every record and state type of the results job is a Flink POJO: PojoSerializer, never Kryo. */
class ResultsPojoTypesTest {

    @ParameterizedTest
    @ValueSource(classes = {ResultsLine.class, ResultsInput.class, DefinitionVersion.class, DefinitionHistory.class,
            StatsDelta.class, ResultRecord.class, UserExposure.class, ExperimentState.class, ResultsTotals.class,
            ResultsMemory.class, io.liftstream.experiments.results.PreExposureRing.class})
    void isAPojoWithoutGenericFields(Class<?> type) {
        TypeInformation<?> info = TypeInformation.of(type);
        assertThat(info).isInstanceOf(PojoTypeInfo.class);
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        assertThat(info.createSerializer(new SerializerConfigImpl(conf))).isInstanceOf(PojoSerializer.class);
    }
}
