package io.liftstream.jobs.results;

/** One result line of an experiment, a Flink POJO: its sort keys and its JSON. */
public class ResultRecord {
    public String experimentId;
    /** Event time the result is as of (epoch ms). */
    public long asOf;
    /** 1 for the experiment's first result, then 2, 3, … */
    public long sequence;
    public String json;

    public ResultRecord() {}

    public ResultRecord(String experimentId, long asOf, long sequence, String json) {
        this.experimentId = experimentId;
        this.asOf = asOf;
        this.sequence = sequence;
        this.json = json;
    }

    @Override
    public String toString() {
        return json;
    }
}
