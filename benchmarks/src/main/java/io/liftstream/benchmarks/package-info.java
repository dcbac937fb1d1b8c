/**
 * JMH microbenchmarks of the {@code experiments} maths (statistics updates and analyses,
 * assignment and bandit decisions). Build with {@code mvn -pl benchmarks -am package -DskipTests},
 * run with {@code java -jar benchmarks/target/benchmarks.jar [regex]}; record figures in BENCHMARKS.md.
 */
package io.liftstream.benchmarks;
