package org.diskless.nfsroot.internal;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.diskless.api.nodes.Node;

/**
 * A directory on this host named after a node: an absolute path in which {@code {node}} stands for
 * the node's name and {@code {group}} for its group. What it makes must fit a kernel's
 * {@code nfsroot=} and an exports line unquoted: no spaces, control characters, {@code ,} (nfsroot's
 * option separator), {@code :} (its server separator), {@code #} (an exports comment), quotes or
 * backslashes, and no {@code .} or {@code ..} component.
 */
record PathPattern(String text) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)}");
    private static final Pattern UNFIT = Pattern.compile("[\\s\\p{Cntrl},:#\"'\\\\]");

    /** @return why the pattern cannot be used, or empty when it can */
    static Optional<String> refusal(String text) {
        if (!text.startsWith("/")) {
            return Optional.of("an absolute path, e.g. /export/root/{node}");
        }
        Matcher placeholder = PLACEHOLDER.matcher(text);
        while (placeholder.find()) {
            if (!placeholder.group(1).equals("node") && !placeholder.group(1).equals("group")) {
                return Optional.of("'{" + placeholder.group(1) + "}' is no placeholder: {node} and {group} are");
            }
        }
        String literal = PLACEHOLDER.matcher(text).replaceAll("x");
        if (literal.contains("{") || literal.contains("}") || UNFIT.matcher(literal).find()) {
            return Optional.of("no spaces, control characters, quotes, backslashes, ',', ':', '#', '{' or '}' beside"
                    + " {node} and {group}: the path goes into nfsroot= and an exports line");
        }
        if (badComponent(literal)) {
            return Optional.of("no '.' or '..' component");
        }
        return Optional.empty();
    }

    boolean uses(String placeholder) {
        return text.contains("{" + placeholder + "}");
    }

    /** The node's directory, or why it has none (no group for {@code {group}}, a name unfit for a path). */
    Result apply(Node node) {
        if (uses("group") && node.group().isEmpty()) {
            return Result.refused("has no group, and " + text + " needs one ({group}): give it one"
                    + " (nodes:add --group) or change the pattern");
        }
        String path = text.replace("{node}", node.name()).replace("{group}", node.group().orElse(""));
        if (UNFIT.matcher(path).find() || badComponent(path) || path.contains("//")) {
            return Result.refused("its name or group makes " + text + " no usable path; rename it or change the pattern");
        }
        return Result.of(path);
    }

    private static boolean badComponent(String path) {
        for (String component : path.split("/")) {
            if (component.equals(".") || component.equals("..")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return text;
    }

    /** A path, or why there is none. */
    record Result(Optional<String> path, Optional<String> refusal) {

        static Result of(String path) {
            return new Result(Optional.of(path), Optional.empty());
        }

        static Result refused(String why) {
            return new Result(Optional.empty(), Optional.of(why));
        }
    }
}
