package org.diskless.metrics.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** What an operator may set in {@code etc/org.diskless.metrics.cfg}; read through {@link MetricsSettings}. */
@ObjectClassDefinition(name = "Diskless metrics",
        description = "Prometheus endpoint (/metrics, text exposition format) on the admin interface.")
@interface MetricsConfig {

    @AttributeDefinition(description = "Local address to listen on: the admin interface (127.0.0.1 by default);"
            + " 0.0.0.0 would let the boot network read the metrics too.")
    String address() default MetricsSettings.DEFAULT_ADDRESS;

    @AttributeDefinition(description = "TCP port.", min = "1", max = "65535")
    int port() default MetricsSettings.DEFAULT_PORT;
}
