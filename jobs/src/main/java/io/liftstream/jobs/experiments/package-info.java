/**
 * JSON codecs of the experiment layer: experiment definitions (what {@code ./liftstream assign} reads
 * and the decision job's definition changelog carries) and assignment records. The maths lives in
 * {@code io.liftstream.experiments}.
 */
package io.liftstream.jobs.experiments;
