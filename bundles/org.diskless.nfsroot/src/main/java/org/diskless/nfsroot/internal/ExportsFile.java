package org.diskless.nfsroot.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.diskless.support.log.Printable;

/**
 * Reads an exports file as nfs-utils' exportfs does (exports(5), and what its 2.6 release does
 * where the page is silent):
 * <ul>
 * <li>{@code #} at the start of a word starts a comment to the end of the line (inside a word, or
 *     in double quotes, it is part of the word); a backslash before the end of a line continues it
 *     (a comment ends it all the same);</li>
 * <li>double quotes keep spaces and {@code #} in a word and are dropped; {@code \ooo} (three octal
 *     digits) in a path is that character;</li>
 * <li>after the path: {@code -options} (default options for the rest of the line, added to any
 *     before; the word after it is a client whatever it looks like), and clients, each with an
 *     optional {@code (options)} touching it; a path with no client is exported to every host,
 *     and so is a bare {@code (options)} (the space in {@code host (rw)} makes it a second client);</li>
 * <li>an option list with a space in it, a {@code (} without a closing {@code )} at the end of its
 *     word, or an option exportfs does not know ends the reading of the file: nothing after it is
 *     exported;</li>
 * <li>the same client of the same path twice: the first counts.</li>
 * </ul>
 */
final class ExportsFile {

    /** What a file gave: its entries in order, and what a reader of it should be told. */
    record Parsed(List<ExportEntry> entries, List<String> notes) {
        Parsed {
            entries = List.copyOf(entries);
            notes = List.copyOf(notes);
        }
    }

    private static final int SHOWN = 80;

    private final String name;
    private final String text;
    private int position;
    private int line = 1;

    private ExportsFile(String name, String text) {
        this.name = name;
        this.text = text;
    }

    /** @param name how the file is named in entries and notes, e.g. {@code /etc/exports} */
    static Parsed parse(String name, String text) {
        return new ExportsFile(name, text).parse();
    }

    private record Word(String text, int line) {
    }

    private Parsed parse() {
        List<ExportEntry> entries = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        while (position < text.length()) {
            List<Word> words = logicalLine();
            if (words.isEmpty()) {
                continue;
            }
            String path = octal(words.get(0).text());
            List<String> defaults = new ArrayList<>();
            boolean clientNext = false;
            boolean anyClient = false;
            for (Word word : words.subList(1, words.size())) {
                String where = name + ":" + word.line();
                if (word.text().startsWith("-") && !clientNext) {
                    defaults.addAll(options(word.text().substring(1)));
                    clientNext = true;
                    continue;
                }
                clientNext = false;
                anyClient = true;
                String host = word.text();
                List<String> own = List.of();
                int open = host.indexOf('(');
                if (open >= 0) {
                    if (host.indexOf(')') != host.length() - 1) {
                        notes.add(where + ": a bad option list in '" + shown(host) + "' (a space, or text after ')'):"
                                + " exportfs stops reading " + name + " there, so nothing from there on is exported");
                        return new Parsed(entries, notes);
                    }
                    own = options(host.substring(open + 1, host.length() - 1));
                    host = host.substring(0, open);
                }
                if (!add(entries, notes, seen, path, host, defaults, own, where)) {
                    return new Parsed(entries, notes);
                }
            }
            if (!anyClient && !add(entries, notes, seen, path, "", defaults, List.of(), name + ":" + words.get(0).line())) {
                return new Parsed(entries, notes);
            }
        }
        return new Parsed(entries, notes);
    }

    /** @return false when the options end the reading of the file */
    private boolean add(List<ExportEntry> entries, List<String> notes, Set<String> seen, String path, String host,
                        List<String> defaults, List<String> own, String where) {
        List<String> all = new ArrayList<>(defaults);
        all.addAll(own);
        ExportOptions options;
        try {
            options = ExportOptions.parse(all);
        } catch (ExportOptions.UnknownOption e) {
            notes.add(where + ": " + shown(e.getMessage()) + ": exportfs stops reading " + name
                    + " there, so nothing from there on is exported");
            return false;
        }
        ClientSpec client = ClientSpec.of(host);
        if (client.kind() == ClientSpec.Kind.INVALID) {
            notes.add(where + ": '" + shown(host) + "' is no network exportfs accepts (a prefix over 32, or a bad"
                    + " mask): it exports nothing to it");
        }
        String key = path + "\u0000" + host;
        if (seen.contains(key)) {
            notes.add(where + ": " + shown(path) + " is exported to " + shown(client.toString()) + " on an earlier line:"
                    + " that one counts");
            return true;
        }
        seen.add(key);
        entries.add(new ExportEntry(path, client, options, where));
        return true;
    }

    private static List<String> options(String list) {
        return list.isEmpty() ? List.of() : List.of(list.split(",", -1));
    }

    /**
     * The words of the next entry: up to an end of line that no backslash continues. Quotes are
     * dropped and keep what they hold in one word.
     */
    private List<Word> logicalLine() {
        List<Word> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        int wordLine = line;
        boolean quoted = false;
        boolean inWord = false;
        while (position < text.length()) {
            char c = text.charAt(position++);
            if (c == '\\' && !quoted && position < text.length() && text.charAt(position) == '\n') {
                position++;
                line++;
                c = ' ';
            } else if (c == '#' && !quoted && !inWord) {
                while (position < text.length() && text.charAt(position) != '\n') {
                    position++;
                }
                continue;
            }
            if (c == '\n') {
                line++;
                break;
            }
            if (c == '"') {
                quoted = !quoted;
                if (!inWord) {
                    inWord = true;
                    wordLine = line;
                }
                continue;
            }
            if ((c == ' ' || c == '\t' || c == '\r') && !quoted) {
                if (inWord) {
                    words.add(new Word(word.toString(), wordLine));
                    word.setLength(0);
                    inWord = false;
                }
                continue;
            }
            if (!inWord) {
                inWord = true;
                wordLine = line;
            }
            word.append(c);
        }
        if (inWord) {
            words.add(new Word(word.toString(), wordLine));
        }
        return words;
    }

    /** A path's {@code \ooo} escapes (exportfs writes a space as {@code \040}), as bytes of UTF-8. */
    private static String octal(String path) {
        if (!path.contains("\\")) {
            return path;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int i = 0;
        while (i < path.length()) {
            if (path.charAt(i) == '\\' && i + 3 < path.length() && path.substring(i + 1, i + 4).matches("[0-3][0-7]{2}")) {
                bytes.write(Integer.parseInt(path.substring(i + 1, i + 4), 8));
                i += 4;
            } else {
                int codePoint = path.codePointAt(i);
                bytes.writeBytes(new String(Character.toChars(codePoint)).getBytes(UTF_8));
                i += Character.charCount(codePoint);
            }
        }
        return bytes.toString(UTF_8);
    }

    private static String shown(String text) {
        return Printable.of(text, SHOWN);
    }
}
