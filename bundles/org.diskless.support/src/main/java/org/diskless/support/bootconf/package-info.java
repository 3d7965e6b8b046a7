/**
 * The boot configuration files of the servers Diskless replaces, read once for every bundle that
 * reads them: HP-UX {@code clusterconf} and BSD {@code rbootd.conf}. A parser never throws on bad
 * content: it returns the usable entries and the lines it could not use, and the caller decides
 * (the importer skips them, RMP refuses the file).
 */
package org.diskless.support.bootconf;
