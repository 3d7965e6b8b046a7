/**
 * Protocol counters, durations and transfers in flight as services, for status pages and metrics exporters.
 */
@Export
@Version("1.1.0")
package org.diskless.api.stats;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
