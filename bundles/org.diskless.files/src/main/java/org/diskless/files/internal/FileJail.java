package org.diskless.files.internal;

import static org.diskless.api.files.BootFileException.Reason.DENIED;
import static org.diskless.api.files.BootFileException.Reason.INVALID_NAME;
import static org.diskless.api.files.BootFileException.Reason.IO_ERROR;
import static org.diskless.api.files.BootFileException.Reason.NOT_FOUND;
import static org.diskless.api.files.BootFileException.Reason.OUTSIDE_ROOT;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.diskless.api.files.BootFileException;

/**
 * The rules that keep every request inside the boot root. Names come from the network, so each
 * step refuses rather than repairs anything doubtful: control characters, {@code ..}, symbolic
 * links that lead out.
 */
final class FileJail {

    /** Longer names are no boot file; they are an attack or a broken client. */
    static final int MAX_NAME_LENGTH = 1024;

    /** HP-UX marks a context-dependent file by a hidden directory named after it plus this suffix. */
    static final String CDF_SUFFIX = "+";

    private final Path root;

    FileJail(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    Path root() {
        return root;
    }

    /**
     * The requested name as a path relative to the root: {@code /}-separated, no leading
     * {@code /}, no {@code .} or empty segments.
     */
    String normalize(String requested) throws BootFileException {
        if (requested == null || requested.isEmpty()) {
            throw new BootFileException(INVALID_NAME, "empty file name");
        }
        if (requested.length() > MAX_NAME_LENGTH) {
            throw new BootFileException(INVALID_NAME, "file name longer than " + MAX_NAME_LENGTH + " characters");
        }
        for (int i = 0; i < requested.length(); i++) {
            char c = requested.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new BootFileException(INVALID_NAME,
                        String.format("control character 0x%02x in file name", (int) c));
            }
        }
        // Windows loaders (and pxelinux configs written on Windows) send backslashes.
        String name = requested.replace('\\', '/');
        String rootPrefix = root.toString() + "/";
        if (name.startsWith(rootPrefix)) {
            name = name.substring(rootPrefix.length()); // a client that knows our full path
        }
        List<String> segments = new ArrayList<>();
        for (String segment : name.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                throw new BootFileException(OUTSIDE_ROOT, "'..' in file name '" + requested + "'");
            }
            segments.add(segment);
        }
        if (segments.isEmpty()) {
            throw new BootFileException(INVALID_NAME, "'" + requested + "' names no file");
        }
        return String.join("/", segments);
    }

    /** A file found for a request: its path inside the root as resolved, and where it really is. */
    record Located(String path, Path real) {
    }

    /**
     * The regular, readable file under the root for a normalised name, links resolved and
     * context-dependent files ({@code name+/<context>}) chosen by {@code contexts}, best first.
     * Every step is checked against the root on its own, so neither a link nor a CDF element can
     * lead out, and nothing outside the root is even looked at.
     */
    Located locateReadable(String normalized, List<String> contexts) throws BootFileException {
        Path realRoot = realRoot();
        Path current = realRoot;
        List<String> resolved = new ArrayList<>();
        String[] segments = normalized.split("/");
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            Optional<String> element = cdfElement(current, segment, contexts, realRoot, normalized);
            if (element.isPresent()) {
                String cdf = segment + CDF_SUFFIX;
                current = realInside(current.resolve(cdf).resolve(element.get()), realRoot, normalized);
                resolved.add(cdf);
                resolved.add(element.get());
            } else {
                Path plain = current.resolve(segment);
                if (!Files.exists(plain, LinkOption.NOFOLLOW_LINKS)
                        && Files.isDirectory(current.resolve(segment + CDF_SUFFIX), LinkOption.NOFOLLOW_LINKS)) {
                    throw new BootFileException(NOT_FOUND, "'" + normalized + "': context-dependent file '"
                            + String.join("/", resolved) + (resolved.isEmpty() ? "" : "/") + segment + CDF_SUFFIX
                            + "' has no element for this client's context " + contexts);
                }
                current = realInside(plain, realRoot, normalized);
                resolved.add(segment);
            }
            if (i < segments.length - 1 && !Files.isDirectory(current)) {
                throw new BootFileException(NOT_FOUND, "'" + normalized + "' not found: '"
                        + String.join("/", resolved) + "' is not a directory");
            }
        }
        if (Files.isDirectory(current)) {
            throw new BootFileException(DENIED, "'" + normalized + "' is a directory");
        }
        if (!Files.isRegularFile(current) || !Files.isReadable(current)) {
            throw new BootFileException(DENIED, "'" + normalized + "' is not a readable regular file");
        }
        return new Located(String.join("/", resolved), current);
    }

    /**
     * The element of the context-dependent file {@code segment+} in {@code directory} that matches
     * the first context which has one; empty when there is no such CDF or the segment already names
     * one explicitly ({@code name+/element} addresses an element directly).
     */
    private Optional<String> cdfElement(Path directory, String segment, List<String> contexts, Path realRoot,
            String normalized) throws BootFileException {
        if (segment.endsWith(CDF_SUFFIX)) {
            return Optional.empty();
        }
        Path hidden = directory.resolve(segment + CDF_SUFFIX);
        if (!Files.exists(hidden, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        Path realHidden = realInside(hidden, realRoot, normalized);
        if (!Files.isDirectory(realHidden)) {
            return Optional.empty(); // a plain file that happens to end in '+' is no CDF
        }
        for (String context : contexts) {
            if (CdfContexts.usableElementName(context)
                    && Files.exists(realHidden.resolve(context), LinkOption.NOFOLLOW_LINKS)) {
                return Optional.of(context);
            }
        }
        return Optional.empty();
    }

    /**
     * Where an upload of a normalised name goes: its directory must exist inside the root, and
     * the name itself must not be a link.
     */
    Path locateWritable(String normalized) throws BootFileException {
        Path target = root.resolve(normalized);
        Path directory = realInsideRoot(target.getParent(), normalized);
        if (!Files.isDirectory(directory)) {
            throw new BootFileException(NOT_FOUND, "no directory for '" + normalized + "'");
        }
        Path inDirectory = directory.resolve(target.getFileName());
        if (Files.isSymbolicLink(inDirectory) || Files.isDirectory(inDirectory, LinkOption.NOFOLLOW_LINKS)) {
            throw new BootFileException(DENIED, "'" + normalized + "' is not a plain file name");
        }
        return inDirectory;
    }

    private Path realInsideRoot(Path path, String normalized) throws BootFileException {
        return realInside(path, realRoot(), normalized);
    }

    private Path realRoot() throws BootFileException {
        try {
            return root.toRealPath();
        } catch (IOException e) {
            throw new BootFileException(IO_ERROR, "boot root " + root + " is not accessible: " + e.getMessage(), e);
        }
    }

    private static Path realInside(Path path, Path realRoot, String normalized) throws BootFileException {
        Path real;
        try {
            real = path.toRealPath();
        } catch (NoSuchFileException e) {
            throw new BootFileException(NOT_FOUND, "'" + normalized + "' not found");
        } catch (IOException e) {
            throw new BootFileException(IO_ERROR, "cannot read '" + normalized + "': " + e.getMessage(), e);
        }
        if (!real.startsWith(realRoot)) {
            throw new BootFileException(OUTSIDE_ROOT, "'" + normalized + "' leads outside the boot root");
        }
        return real;
    }
}
