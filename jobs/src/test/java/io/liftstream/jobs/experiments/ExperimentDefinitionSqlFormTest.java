package io.liftstream.jobs.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.liftstream.experiments.assignment.ExperimentDefinition;
import io.liftstream.experiments.assignment.Namespace;

import org.junit.jupiter.api.Test;

/**
 * What Flink's JSON format writes for the SQL {@code experiments} table: SQL NULL columns as JSON
 * null (meaning absent: the default applies) and the namespace ROW as an object.
 */
class ExperimentDefinitionSqlFormTest {

    @Test
    void nullColumnsMeanDefaults() {
        ExperimentDefinition d = ExperimentDefinitionJson.parse("""
                {"experiment_id":"e","status":null,"trigger":null,"placement":null,
                 "arms":[{"name":"a","weight":null},{"name":"b","weight":null}],"policy":null,"coverage":null,
                 "hash_version":null,"seed":null,"namespace":null,"holdout_pct":null,"reward":null,
                 "frequency_cap":null,"min_arm_share":null,"burn_in":null,"analysis":null,"timestamp":null}""");
        assertThat(d).isEqualTo(ExperimentDefinitionJson.parse("{\"experiment_id\":\"e\",\"arms\":[{\"name\":\"a\"},{\"name\":\"b\"}]}"));
        assertThat(d.weights()).containsExactly(0.5, 0.5);
    }

    @Test
    void readsTheNamespaceRowForm() {
        ExperimentDefinition d = ExperimentDefinitionJson.parse("""
                {"experiment_id":"e","arms":[{"name":"a"},{"name":"b"}],"namespace":{"id":"checkout","start":0.0,"end":0.5}}""");
        assertThat(d.namespace()).isEqualTo(new Namespace("checkout", 0, 0.5));
        assertThatThrownBy(() -> ExperimentDefinitionJson.parse("""
                {"experiment_id":"e","arms":[{"name":"a"},{"name":"b"}],"namespace":{"id":"checkout","start":null,"end":0.5}}"""))
                .hasMessageStartingWith("namespace must be {\"id\": \"namespace-id\", \"start\": s, \"end\": e}");
    }

    @Test
    void anUnknownFieldWithAValueIsStillRefused() {
        assertThatThrownBy(() -> ExperimentDefinitionJson.parse(
                "{\"experiment_id\":\"e\",\"arms\":[{\"name\":\"a\"},{\"name\":\"b\"}],\"holdout\":5}"))
                .hasMessage("unknown field 'holdout'");
    }
}
