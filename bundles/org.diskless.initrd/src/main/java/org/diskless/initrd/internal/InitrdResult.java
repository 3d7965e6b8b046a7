package org.diskless.initrd.internal;

/**
 * What a build wrote.
 *
 * @param entries         archive entries, directories included
 * @param files           regular files
 * @param links           symbolic links
 * @param devices         character and block device nodes
 * @param hardLinked      entries that share their data with another entry (a hard link)
 * @param archiveBytes    the cpio archive before compression
 * @param compressedBytes the image file
 */
public record InitrdResult(long entries, long files, long links, long devices, long hardLinked, long archiveBytes,
                           long compressedBytes) {
}
