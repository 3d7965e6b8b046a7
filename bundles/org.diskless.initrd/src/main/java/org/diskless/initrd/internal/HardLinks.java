package org.diskless.initrd.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The regular files of a tree that are one file under several names (same device and inode). Each
 * such group gets one inode in the archive and its data once, with the last of its names in
 * archive order, as GNU cpio writes newc archives.
 */
final class HardLinks {

    record Key(long dev, long ino) {
    }

    private final Map<Key, Integer> counts;
    private final Map<Key, String> lastNames;

    private HardLinks(Map<Key, Integer> counts, Map<Key, String> lastNames) {
        this.counts = counts;
        this.lastNames = lastNames;
    }

    /** @param entries in archive order */
    static HardLinks of(List<TreeEntry> entries) {
        Map<Key, Integer> counts = new HashMap<>();
        Map<Key, String> lastNames = new HashMap<>();
        for (TreeEntry entry : entries) {
            if (entry.isRegular() && entry.nlink() > 1) {
                Key key = new Key(entry.dev(), entry.ino());
                counts.merge(key, 1, Integer::sum);
                lastNames.put(key, entry.name());
            }
        }
        counts.values().removeIf(count -> count < 2); // its other names lie outside the tree
        lastNames.keySet().retainAll(counts.keySet());
        return new HardLinks(counts, lastNames);
    }

    /** The group an entry belongs to, or null when it is the only name of its file in the tree. */
    Key keyOf(TreeEntry entry) {
        if (!entry.isRegular() || entry.nlink() < 2) {
            return null;
        }
        Key key = new Key(entry.dev(), entry.ino());
        return counts.containsKey(key) ? key : null;
    }

    int count(Key key) {
        return counts.get(key);
    }

    boolean carriesData(TreeEntry entry) {
        return entry.name().equals(lastNames.get(keyOf(entry)));
    }

    /** Entries that name a file another entry names too. */
    long sharing() {
        return counts.values().stream().mapToLong(Integer::longValue).sum();
    }
}
