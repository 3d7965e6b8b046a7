package org.diskless.nfsroot.internal;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What an exports entry's options (the line's {@code -defaults}, then the client's own) mean for a
 * kernel mounting its NFS root, which authenticates with AUTH_SYS ({@code sec=sys}): whether it may
 * mount at all, read-only or read-write, and whether its root is squashed. Defaults as exportfs
 * applies them: {@code ro}, {@code root_squash}, {@code sec=sys}.
 */
record ExportOptions(String text, boolean sysAllowed, boolean perFlavor, boolean readOnly, boolean rootSquash,
                     boolean allSquash) {

    /** Every option nfs-utils' exportfs reads; any other word makes it stop reading the file. */
    private static final Set<String> KNOWN = Set.of("ro", "rw", "secure", "insecure", "sync", "async", "nohide", "hide",
            "crossmnt", "nocrossmnt", "wdelay", "no_wdelay", "root_squash", "no_root_squash", "all_squash",
            "no_all_squash", "subtree_check", "no_subtree_check", "auth_nlm", "no_auth_nlm", "secure_locks",
            "insecure_locks", "acl", "no_acl", "mountpoint", "mp", "pnfs", "no_pnfs", "security_label", "nordirplus");
    private static final List<String> KNOWN_WITH_VALUE = List.of("mountpoint=", "mp=", "fsid=", "anonuid=",
            "anongid=", "sec=", "refer=", "replicas=", "squash_uids=", "squash_gids=", "xprtsec=");

    /** An option exportfs does not know: it stops reading the file there. */
    static final class UnknownOption extends Exception {
        private static final long serialVersionUID = 1L;

        UnknownOption(String option) {
            super(option.isEmpty() ? "an empty option (two commas in a row)" : "unknown option '" + option + "'");
        }
    }

    static ExportOptions parse(List<String> options) throws UnknownOption {
        boolean readOnly = true;
        boolean rootSquash = true;
        boolean allSquash = false;
        Set<String> flavors = new LinkedHashSet<>();
        boolean afterSec = false;
        boolean perFlavor = false;
        for (String option : options) {
            if (option.startsWith("sec=")) {
                flavors.addAll(List.of(option.substring("sec=".length()).split(":")));
                afterSec = true;
                continue;
            }
            boolean access = true;
            switch (option) {
                case "ro" -> readOnly = true;
                case "rw" -> readOnly = false;
                case "root_squash" -> rootSquash = true;
                case "no_root_squash" -> rootSquash = false;
                case "all_squash" -> allSquash = true;
                case "no_all_squash" -> allSquash = false;
                default -> access = false;
            }
            if (access) {
                // After a sec= list these apply to its flavors only (exports(5), "RPCSEC_GSS security").
                perFlavor |= afterSec;
            } else if (!KNOWN.contains(option) && KNOWN_WITH_VALUE.stream().noneMatch(option::startsWith)) {
                throw new UnknownOption(option);
            }
        }
        return new ExportOptions(String.join(",", options), flavors.isEmpty() || flavors.contains("sys"), perFlavor,
                readOnly, rootSquash, allSquash);
    }

    /**
     * What stops a node mounting its root here: empty when nothing does.
     *
     * @param writable whether the node writes into it (its own root or overlay)
     */
    Optional<String> refusal(boolean writable) {
        if (!sysAllowed) {
            return Optional.of("allows only Kerberos (sec=), but a kernel mounts its root with sec=sys: add sec=sys");
        }
        List<String> wrong = new java.util.ArrayList<>();
        if (allSquash) {
            wrong.add("maps every user to nobody (all_squash): remove it");
        } else if (rootSquash) {
            wrong.add("squashes root (root_squash is the default): add no_root_squash");
        }
        if (writable && readOnly) {
            wrong.add("is read-only (ro is the default) where the node writes: add rw");
        }
        return wrong.isEmpty() ? Optional.empty() : Optional.of(String.join("; it ", wrong));
    }
}
