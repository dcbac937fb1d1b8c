package io.liftstream.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every {@code liftstream.*} key declared anywhere in the sources is one {@link ConfigKeys} knows:
 * a new option class missing from {@link ConfigKeys#HOLDERS} would make its own key refused as unknown.
 */
class ConfigKeysCoverageTest {
    private static final Pattern DECLARED = Pattern.compile("ConfigOptions\\.key\\(\\s*\"(liftstream\\.[^\"]+)\"");

    @Test
    void everyDeclaredKeyIsKnown() throws IOException {
        Set<String> declared = new TreeSet<>();
        Path root = Path.of("").toAbsolutePath().getParent();
        for (String module : new String[] {"jobs", "cep-patterns", "experiments"}) {
            Path src = root.resolve(module).resolve("src/main/java");
            if (!Files.isDirectory(src)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(src)) {
                for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                    Matcher m = DECLARED.matcher(Files.readString(f));
                    while (m.find()) {
                        declared.add(m.group(1));
                    }
                }
            }
        }
        assertThat(declared).contains("liftstream.events.out-of-orderness", "liftstream.input.max-line-bytes");
        assertThat(ConfigKeys.scan(ConfigKeys.HOLDERS).keySet()).containsAll(declared);
    }
}
