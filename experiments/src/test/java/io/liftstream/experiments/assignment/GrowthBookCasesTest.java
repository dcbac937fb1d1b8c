package io.liftstream.experiments.assignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * GrowthBook's shared SDK test cases (see {@code src/test/resources/growthbook/README.md} for the
 * source commit), one parameterised test per section, every row replayed.
 */
class GrowthBookCasesTest {
    private static final JsonNode CASES = load();

    private static JsonNode load() {
        try (InputStream in = GrowthBookCasesTest.class.getResourceAsStream("/growthbook/cases.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Stream<JsonNode> rows(String section) {
        JsonNode rows = CASES.get(section);
        assertThat(rows).as(section).isNotNull();
        return StreamSupport.stream(rows.spliterator(), false);
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    private static List<BucketRange> ranges(JsonNode array) {
        List<BucketRange> out = new ArrayList<>();
        array.forEach(r -> out.add(new BucketRange(r.get(0).asDouble(), r.get(1).asDouble())));
        return out;
    }

    static Stream<Arguments> hash() {
        return rows("hash").map(r -> Arguments.of(r.get(0).asText(), r.get(1).asText(), r.get(2).asInt(),
                r.get(3).isNull() ? null : r.get(3).asDouble()));
    }

    @ParameterizedTest(name = "hash(\"{0}\", \"{1}\", v{2}) = {3}")
    @MethodSource
    void hash(String seed, String value, int version, Double expected) {
        Optional<HashVersion> v = HashVersion.of(version);
        if (expected == null) {
            assertThat(v).isEmpty();
        } else {
            // Exact: v1 is k/1000 and v2 k/10000 by construction, and the cases print them in full.
            assertThat(v.orElseThrow().hash(seed, value)).isEqualTo(expected);
        }
    }

    static Stream<Arguments> getBucketRange() {
        return rows("getBucketRange").map(r -> {
            JsonNode args = r.get(1);
            return Arguments.of(r.get(0).asText(), args.get(0).asInt(), args.get(1).asDouble(),
                    args.get(2).isNull() ? null : doubles(args.get(2)), r.get(2));
        });
    }

    @ParameterizedTest(name = "getBucketRange: {0}")
    @MethodSource
    void getBucketRange(String name, int n, double coverage, double[] weights, JsonNode expected) {
        List<BucketRange> actual = BucketRanges.of(n, coverage, weights);
        assertThat(actual).hasSize(expected.size());
        for (int i = 0; i < actual.size(); i++) {
            // The JS SDK compares with toEqual after rounding to 6 decimals; floating sums differ below that.
            assertThat(actual.get(i).start()).isCloseTo(expected.get(i).get(0).asDouble(), within(1e-9));
            assertThat(actual.get(i).end()).isCloseTo(expected.get(i).get(1).asDouble(), within(1e-9));
        }
    }

    static Stream<Arguments> chooseVariation() {
        return rows("chooseVariation").map(r -> Arguments.of(r.get(0).asText(), r.get(1).asDouble(),
                ranges(r.get(2)), r.get(3).asInt()));
    }

    @ParameterizedTest(name = "chooseVariation: {0}")
    @MethodSource
    void chooseVariation(String name, double bucket, List<BucketRange> ranges, int expected) {
        assertThat(BucketRanges.chooseVariation(bucket, ranges)).isEqualTo(expected);
    }

    static Stream<Arguments> inNamespace() {
        return rows("inNamespace").map(r -> {
            JsonNode ns = r.get(2);
            return Arguments.of(r.get(0).asText(), r.get(1).asText(),
                    new Namespace(ns.get(0).asText(), ns.get(1).asDouble(), ns.get(2).asDouble()),
                    r.get(3).asBoolean());
        });
    }

    @ParameterizedTest(name = "inNamespace: {0}")
    @MethodSource
    void inNamespace(String name, String userId, Namespace namespace, boolean expected) {
        assertThat(namespace.contains(userId)).isEqualTo(expected);
    }

    static Stream<Arguments> getEqualWeights() {
        return rows("getEqualWeights").map(r -> Arguments.of(r.get(0).asInt(), doubles(r.get(1))));
    }

    @ParameterizedTest(name = "getEqualWeights({0})")
    @MethodSource
    void getEqualWeights(int n, double[] expected) {
        double[] actual = BucketRanges.equalWeights(n);
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).isCloseTo(expected[i], within(1e-8));
        }
    }

    /**
     * Whole-experiment buckets asserted elsewhere in the same cases.json (sections {@code feature} and
     * {@code stickyBucket}, case names quoted): seed = experiment key or seed, value = hash attribute.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "feature: empty experiment rule - c | feature | 123 | 1 | 0.863 | 3 | 2",
        "feature: empty experiment rule - a | feature | 456 | 1 | 0.178 | 3 | 0",
        "feature: empty experiment rule - b | feature | fds | 1 | 0.514 | 3 | 1",
        "stickyBucket: use fallbackAttribute when missing hashAttribute | feature | 123 | 1 | 0.863 | 4 | 3",
        "feature: creates experiments properly (weights 0.1/0.9, coverage 0.99) | feature | 123 | 2 | 0.5231 | 2 | 1",
        "stickyBucket: performs evaluation without sticky bucket (0.3334/0.3333/0.3333) | feature-exp | d123 | 2 | 0.6468 | 3 | 1",
        "stickyBucket: resets sticky bucketing when the bucketVersion changes | feature-exp | i123 | 2 | 0.9943 | 3 | 2",
    })
    void experimentBuckets(String name, String seed, String userId, int version, double bucket, int arms, int arm) {
        double[] weights = switch (name.substring(name.indexOf('(') + 1).replace(")", "")) {
            case "weights 0.1/0.9, coverage 0.99" -> new double[] {0.1, 0.9};
            case "0.3334/0.3333/0.3333" -> new double[] {0.3334, 0.3333, 0.3333};
            default -> null;
        };
        double coverage = name.contains("coverage 0.99") ? 0.99 : 1;
        double b = HashVersion.of(version).orElseThrow().hash(seed, userId);
        assertThat(b).isEqualTo(bucket);
        assertThat(BucketRanges.chooseVariation(b, BucketRanges.of(arms, coverage, weights))).isEqualTo(arm);
    }
}
