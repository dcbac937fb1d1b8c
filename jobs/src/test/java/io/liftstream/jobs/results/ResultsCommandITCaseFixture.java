package io.liftstream.jobs.results;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/** The fixture of {@link ResultsCommandITCase}, for the Kafka test in another package. */
public final class ResultsCommandITCaseFixture {
    private ResultsCommandITCaseFixture() {}

    public static final String EXP = ResultsCommandITCase.EXP;

    public static List<String> experiments() {
        return ResultsCommandITCase.experiments();
    }

    public static List<String> decisions() {
        return ResultsCommandITCase.decisions();
    }

    public static List<String> events() {
        return ResultsCommandITCase.events();
    }

    public static void assertLastResult(JsonNode last) {
        ResultsCommandITCase.assertLastResult(last);
    }
}
