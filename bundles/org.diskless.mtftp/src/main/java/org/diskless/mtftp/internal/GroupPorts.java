package org.diskless.mtftp.internal;

import io.netty.channel.ChannelFuture;

/**
 * Binds a {@link GroupPort}, with the port in its pipeline behind the TFTP decoder. Tests open
 * embedded channels instead.
 */
@FunctionalInterface
interface GroupPorts {

    ChannelFuture open(GroupPort port);
}
