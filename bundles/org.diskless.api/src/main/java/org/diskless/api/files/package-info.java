/**
 * The boot file tree as the protocols see it: resolution of a requested path inside a jail,
 * generated files, and uploads.
 */
@Export
@Version("2.1.0")
package org.diskless.api.files;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
