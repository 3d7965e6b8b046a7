package org.diskless.support.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LoaderPathsTest {

    @Test
    void pxelinuxTakesPathsFromItsFolderUnlessAbsoluteAndIpxeFromTheRoot() {
        assertEquals("bios/images/initrd.gz", LoaderPaths.relativeTo("bios/").apply("images/initrd.gz"));
        assertEquals("images/initrd.gz", LoaderPaths.relativeTo("bios/").apply("/images/initrd.gz"));
        assertEquals("images/initrd.gz", LoaderPaths.relativeTo("").apply("images/initrd.gz"));
        assertEquals("images/initrd.gz", LoaderPaths.FROM_ROOT.apply("//images/initrd.gz"));
    }

    @Test
    void folderAndLastPart() {
        assertEquals("bios/", LoaderPaths.folderOf("bios/pxelinux.0"));
        assertEquals("", LoaderPaths.folderOf("pxelinux.0"));
        assertEquals("initrd.gz", LoaderPaths.lastPart("images/initrd.gz"));
        assertEquals("initrd.gz", LoaderPaths.lastPart("initrd.gz"));
    }
}
