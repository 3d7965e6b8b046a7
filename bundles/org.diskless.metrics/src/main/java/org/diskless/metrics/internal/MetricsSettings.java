package org.diskless.metrics.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.diskless.support.config.Config;
import org.diskless.support.config.InvalidSettingException;
import org.diskless.support.config.SettingsUpdate;

/**
 * Where the Prometheus endpoint listens, checked: a typo is refused with the key and the reason
 * (see {@link SettingsUpdate}), and the endpoint in force keeps serving.
 */
record MetricsSettings(InetSocketAddress bindAddress) {

    static final String PID = "org.diskless.metrics";
    /** The admin interface: the boot network never reaches the metrics unless the operator says so. */
    static final String DEFAULT_ADDRESS = "127.0.0.1";
    private static final InetAddress LOOPBACK = new InetSocketAddress(DEFAULT_ADDRESS, 0).getAddress();
    /**
     * Free in the distribution (TFTP 69, HTTP boot 8080, SSH 8101, Pax Web 8181, RMI 1099 and 44444)
     * and beside the 9100 range Prometheus exporters take by custom.
     */
    static final int DEFAULT_PORT = 9180;

    static MetricsSettings defaults() {
        return SettingsUpdate.defaults(MetricsSettings::parse);
    }

    static MetricsSettings parse(Config config) throws InvalidSettingException {
        return new MetricsSettings(new InetSocketAddress(config.address("address", LOOPBACK),
                config.integer("port", DEFAULT_PORT, 1, 65535)));
    }

    @Override
    public String toString() {
        return "http://" + bindAddress.getAddress().getHostAddress() + ":" + bindAddress.getPort() + "/metrics";
    }
}
