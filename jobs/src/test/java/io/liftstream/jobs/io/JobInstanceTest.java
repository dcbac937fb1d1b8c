package io.liftstream.jobs.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

class JobInstanceTest {
    @Test
    void newIdsAreEightHexDigitsAndDiffer() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = JobInstance.newId();
            assertThat(id).matches("[0-9a-f]{8}");
            ids.add(id);
        }
        assertThat(ids).hasSizeGreaterThan(995);
    }

    @Test
    void transactionalIdPrefixesHoldTheInstance() {
        assertThat(JobInstance.transactionalIdPrefix("liftstream-decide", "3f2a9c01", "decisions"))
                .isEqualTo("liftstream-decide-3f2a9c01-decisions");
        assertThat(JobInstance.checkId("prod-eu_1.a")).isEqualTo("prod-eu_1.a");
        assertThatThrownBy(() -> JobInstance.checkId("a b"))
                .hasMessage("--instance-id must be 1 to 64 letters, digits, '.', '_' or '-', was a b");
        assertThatThrownBy(() -> JobInstance.checkId("")).hasMessageStartingWith("--instance-id must be");
    }
}
