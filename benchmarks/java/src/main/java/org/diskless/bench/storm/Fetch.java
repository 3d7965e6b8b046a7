package org.diskless.bench.storm;

/** One file a node downloads, by unicast TFTP or MTFTP; it reports once, to its {@link Listener}. */
interface Fetch {

    /** Sends the first packet (or starts listening); failures to open a socket are reported, not thrown. */
    void start();

    /** Stops at once, reporting nothing: the run is over. */
    void abandon();

    interface Listener {

        /** Every block arrived intact. */
        void fetched(ExpectedFile file);

        /** The node gives up on the file, as its ROM would; {@code reason} says why in a few words. */
        void failed(ExpectedFile file, String reason);
    }
}
