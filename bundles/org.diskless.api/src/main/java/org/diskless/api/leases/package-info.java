/**
 * Address leases and the store that keeps them durable before the DHCP server acknowledges them.
 */
@Export
@Version("1.2.0")
package org.diskless.api.leases;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
