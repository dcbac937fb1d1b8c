package io.liftstream.jobs.io;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.impl.StreamFormatAdapter;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.Path;

import java.io.IOException;

/**
 * A file format that names the file it failed on. Flink decompresses {@code .gz} and other
 * compressed inputs by extension; a corrupt one fails the reader with a bare {@code ZipException}
 * ("Not in GZIP format", "Unexpected end of ZLIB input stream"), which restarting cannot mend. This
 * wrapper turns any I/O failure of a split into an {@link InputException} naming the file: Flink
 * fails the job at once (no restarts) and the command prints that one line.
 */
public final class NamingFileFormat<T> implements BulkFormat<T, FileSourceSplit> {
    private static final long serialVersionUID = 1L;

    private final BulkFormat<T, FileSourceSplit> inner;

    private NamingFileFormat(BulkFormat<T, FileSourceSplit> inner) {
        this.inner = inner;
    }

    /** A file source builder reading {@code format} from {@code paths}, failures naming their file. */
    public static <T> FileSource.FileSourceBuilder<T> source(StreamFormat<T> format, Path... paths) {
        return FileSource.forBulkFileFormat(new NamingFileFormat<>(new StreamFormatAdapter<>(format)), paths);
    }

    @Override
    public BulkFormat.Reader<T> createReader(Configuration config, FileSourceSplit split) throws IOException {
        try {
            return new NamingReader<>(inner.createReader(config, split), split.path());
        } catch (IOException e) {
            throw unreadable(split.path(), e);
        }
    }

    @Override
    public BulkFormat.Reader<T> restoreReader(Configuration config, FileSourceSplit split) throws IOException {
        try {
            return new NamingReader<>(inner.restoreReader(config, split), split.path());
        } catch (IOException e) {
            throw unreadable(split.path(), e);
        }
    }

    @Override
    public boolean isSplittable() {
        return inner.isSplittable();
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return inner.getProducedType();
    }

    static InputException unreadable(Path file, IOException e) {
        return new InputException("cannot read " + file.getPath() + ": " + e.getClass().getSimpleName() + ": " + e.getMessage()
                + " (a corrupt or truncated compressed file?)", e);
    }

    private static final class NamingReader<T> implements BulkFormat.Reader<T> {
        private final BulkFormat.Reader<T> inner;
        private final Path file;

        NamingReader(BulkFormat.Reader<T> inner, Path file) {
            this.inner = inner;
            this.file = file;
        }

        @Override
        public BulkFormat.RecordIterator<T> readBatch() throws IOException {
            try {
                return inner.readBatch();
            } catch (IOException e) {
                throw unreadable(file, e);
            }
        }

        @Override
        public void close() throws IOException {
            inner.close();
        }
    }
}
