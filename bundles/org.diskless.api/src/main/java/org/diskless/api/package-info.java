/**
 * The link-level values every protocol shares: hardware addresses and client architectures. The
 * concepts built on them live in their own packages, each versioned on its own: {@code nodes},
 * {@code leases}, {@code boot}, {@code files}, {@code network}, {@code stats}.
 */
@Export
@Version("2.0.0")
package org.diskless.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
