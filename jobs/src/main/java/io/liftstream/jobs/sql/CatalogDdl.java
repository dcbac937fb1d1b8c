package io.liftstream.jobs.sql;

import org.apache.flink.table.api.TableEnvironment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The catalog DDL of {@code sql/catalog}: every {@code *.sql} file in name order. The files are
 * bundled in the job jar (as {@code sql/catalog/}), so {@code ./liftstream sql} and a job submitted
 * with {@code flink run} see the same catalog; a directory can be given instead.
 */
public final class CatalogDdl {
    /** Where the build puts the catalog in the jar. */
    public static final String RESOURCE_DIR = "sql/catalog";

    private CatalogDdl() {}

    /** A catalog file's name and content. */
    public record CatalogFile(String name, String sql) {}

    /** The catalog files of {@code dir}, or the bundled ones when {@code dir} is null, in name order. */
    public static List<CatalogFile> files(Path dir) {
        if (dir != null) {
            return read(dir);
        }
        URL url = CatalogDdl.class.getClassLoader().getResource(RESOURCE_DIR);
        if (url == null) {
            throw new IllegalStateException(RESOURCE_DIR + " is not on the classpath (a broken build?)");
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                try (FileSystem fs = FileSystems.newFileSystem(uri, Map.of())) {
                    return read(fs.getPath(RESOURCE_DIR));
                }
            }
            return read(Path.of(uri));
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot read " + url + ": " + e.getMessage(), e);
        }
    }

    private static List<CatalogFile> read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("no catalog directory " + dir.toAbsolutePath());
        }
        List<CatalogFile> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".sql")).sorted().toList()) {
                out.add(new CatalogFile(f.getFileName().toString(), Files.readString(f, StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * Runs every catalog statement on {@code tEnv}, re-pointing each new table at {@code backing} at
     * once (so views over the tables are validated against their real connector).
     *
     * @throws SqlStatementException naming the catalog file and line of a statement Flink refuses
     */
    public static void load(TableEnvironment tEnv, Path dir, TableBacking backing, boolean batch) {
        for (CatalogFile file : files(dir)) {
            for (SqlScript.Statement s : SqlScript.split(file.sql())) {
                try {
                    tEnv.executeSql(s.sql());
                    backing.apply(tEnv, batch);
                } catch (RuntimeException e) {
                    throw SqlStatementException.of(RESOURCE_DIR + "/" + file.name(), s, e);
                }
            }
        }
    }
}
