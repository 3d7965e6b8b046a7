package org.diskless.api.boot;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * RFC 2090: a TFTP read request that carries the {@value #OPTION} option, handed by the TFTP server
 * to a service that sends files to multicast groups. The TFTP server asks it while one is
 * registered; when none is, or when it declines, the request is served by unicast and the option
 * is left out of the answer, as RFC 2347 lets a server do with any option.
 */
@ConsumerType
public interface MulticastTftpRequests {

    /** The option's name in a read request (lower case, as the TFTP codec hands options over). */
    String OPTION = "multicast";

    /**
     * Takes over the request, or declines it. Called on a thread that may wait for the file
     * system, never on a network event loop; it must still return within moments.
     *
     * @param file    the file name as the client sent it
     * @param options the request's options, names in lower case, {@value #OPTION} among them
     * @param context who is asking, with the node when it is known
     * @return true when this service answers the client from now on (from a port of its own, with
     *         an OACK or an ERROR); false when the TFTP server should serve it by unicast
     */
    boolean serve(String file, Map<String, String> options, BootContext context);
}
