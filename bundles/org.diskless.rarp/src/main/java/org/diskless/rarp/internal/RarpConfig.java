package org.diskless.rarp.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** What an operator may set in {@code etc/org.diskless.rarp.cfg}; read through {@link RarpSettings}. */
@ObjectClassDefinition(name = "Diskless RARP server", description = "RARP (RFC 903): tells boot ROMs and kernels"
        + " that ask by MAC (Sun, NetBSD, ip=rarp) the fixed address of their inventory node.")
@interface RarpConfig {

    @AttributeDefinition(description = "Network interface to answer RARP on, e.g. eth1. Empty: RARP is idle."
            + " Needs root or CAP_NET_RAW.")
    String interface$() default "";

    @AttributeDefinition(description = "Least milliseconds between two replies about one machine; requests in"
            + " between are counted and dropped. 0: no limit.", min = "0", max = "60000")
    int replyIntervalMillis() default RarpSettings.DEFAULT_REPLY_INTERVAL_MILLIS;
}
