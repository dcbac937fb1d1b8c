package io.liftstream.jobs.results;

import java.io.Serializable;

/** Parses one line of an input; never throws: a bad line comes back with its error. Null: skip the line. */
@FunctionalInterface
public interface LineParser extends Serializable {
    ResultsLine parse(String line);
}
