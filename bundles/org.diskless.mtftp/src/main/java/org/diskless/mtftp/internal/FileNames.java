package org.diskless.mtftp.internal;

/**
 * One spelling per file name, so that the name DHCP hands out, the name a client asks for and the
 * name an operator configured meet: {@code \} read as {@code /}, no leading, doubled or trailing
 * {@code /}, no {@code .} components. The resolver still decides what a name means.
 */
final class FileNames {

    private FileNames() {
    }

    static String normalize(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (String part : name.replace('\\', '/').split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(part);
        }
        return out.toString();
    }

    /** Whether a normalized name has a {@code ..} component, which could only leave the boot root. */
    static boolean climbs(String normalized) {
        for (String part : normalized.split("/")) {
            if (part.equals("..")) {
                return true;
            }
        }
        return false;
    }
}
