package org.diskless.initrd.command;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.diskless.initrd.internal.InitrdBuilder;
import org.diskless.initrd.internal.InitrdOptions;
import org.diskless.initrd.internal.InitrdProgress;
import org.diskless.initrd.internal.InitrdResult;
import org.diskless.support.console.Units;

@Service
@Command(scope = "boot", name = "initrd", description = "Builds a RAM-disk image (gzip-compressed newc cpio"
        + " initramfs) from a directory: reproducible, keeping modes, links and device nodes")
public class InitrdCommand implements Action {

    /** Progress lines no more often than this, so a large tree reports and a small one stays quiet. */
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);

    @Argument(index = 0, name = "source-dir", description = "The root of the RAM disk (relative to the Karaf base)",
            required = true)
    String source;

    @Argument(index = 1, name = "output", description = "The image file to write, outside the source (relative to the"
            + " Karaf base), e.g. tftpboot/images/initrd.gz", required = true)
    String output;

    @Option(name = "--keep-times", description = "Keep modification times (the image then differs from build to build)")
    boolean keepTimes;

    @Option(name = "--keep-owners", description = "Keep owners and groups (else every file belongs to root)")
    boolean keepOwners;

    @Option(name = "--max-entries", description = "Refuse a source with more entries than this")
    long maxEntries = InitrdOptions.DEFAULT_MAX_ENTRIES;

    @Option(name = "--max-depth", description = "Refuse a source nested deeper than this")
    int maxDepth = InitrdOptions.DEFAULT_MAX_DEPTH;

    PrintStream out = System.out;
    Path base = Path.of(System.getProperty("karaf.base", "."));

    @Override
    public Object execute() throws CommandException {
        Path from = base.resolve(source);
        Path to = base.resolve(output);
        InitrdResult result;
        try {
            InitrdOptions options = new InitrdOptions(keepTimes, keepOwners, maxEntries, maxDepth);
            result = InitrdBuilder.build(from, to, options, new Reporter());
        } catch (IOException | IllegalArgumentException e) {
            // The source, the output or an option the user gave: a line for them, not a stack trace in the log.
            throw new CommandException("No image written: " + e.getMessage(), e);
        }
        out.printf(Locale.ROOT, "Wrote %s: %s (%s, %s, %s%s), %s archive, %s compressed%n", to,
                Units.count(result.entries(), "entry", "entries"), Units.count(result.files(), "file", "files"),
                Units.count(result.links(), "symbolic link", "symbolic links"),
                Units.count(result.devices(), "device node", "device nodes"),
                result.hardLinked() == 0 ? "" : ", " + result.hardLinked() + " hard-linked",
                Units.bytes(result.archiveBytes()), Units.bytes(result.compressedBytes()));
        out.flush();
        return null;
    }

    /** Prints how far the build is, at most every {@link #PROGRESS_EVERY}. */
    private final class Reporter implements InitrdProgress {
        private long total;
        private long lastPrinted = System.nanoTime();

        @Override
        public void scanned(long entries) {
            total = entries;
        }

        @Override
        public void written(long written, long bytes) {
            long now = System.nanoTime();
            if (now - lastPrinted >= PROGRESS_EVERY.toNanos()) {
                lastPrinted = now;
                out.printf(Locale.ROOT, "  %d of %d entries, %s of file data%n", written, total, Units.bytes(bytes));
                out.flush();
            }
        }
    }
}
