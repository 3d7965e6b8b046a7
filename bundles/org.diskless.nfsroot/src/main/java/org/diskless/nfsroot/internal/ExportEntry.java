package org.diskless.nfsroot.internal;

/**
 * One client of one exported path, as exportfs reads it from a line: the path (octal escapes
 * decoded), who, with which options, and where it was written ({@code /etc/exports:12}).
 */
record ExportEntry(String path, ClientSpec client, ExportOptions options, String source) {

    /** As an exports line would write it, e.g. {@code 192.0.2.0/24(rw,no_root_squash)}. */
    String clientText() {
        return client.text() + "(" + options.text() + ")";
    }
}
