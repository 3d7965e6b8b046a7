package org.diskless.initrd.internal;

/** Told as a build goes: after the tree is read, and after each entry written. */
public interface InitrdProgress {

    /** The tree was read: this many entries will be written. */
    void scanned(long entries);

    /** {@code written} of the entries are in the archive, with {@code bytes} of file data read so far. */
    void written(long written, long bytes);

    InitrdProgress NONE = new InitrdProgress() {
        @Override
        public void scanned(long entries) {
        }

        @Override
        public void written(long written, long bytes) {
        }
    };
}
