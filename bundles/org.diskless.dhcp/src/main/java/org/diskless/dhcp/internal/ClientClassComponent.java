package org.diskless.dhcp.internal;

import java.util.Map;

import org.diskless.support.config.SettingsUpdate;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client class configuration, checked and handed to the DHCP server. A configuration with an
 * error is refused with the key and the reason; if it replaced a good one, the good one keeps applying.
 */
@Component(configurationPid = ClientClass.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = ClientClassConfig.class, factory = true)
public final class ClientClassComponent {

    private static final Logger LOG = LoggerFactory.getLogger(ClientClassComponent.class);

    private final ClientClassTable table;
    private final String pid;
    private boolean accepted;

    @Activate
    public ClientClassComponent(@Reference ClientClassTable table, Map<String, Object> properties) {
        this.table = table;
        this.pid = String.valueOf(properties.get(Constants.SERVICE_PID));
        apply(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        apply(properties);
    }

    @Deactivate
    void deactivate() {
        table.removeClass(pid);
    }

    private void apply(Map<String, Object> properties) {
        String name = pid.contains("~") ? pid.substring(pid.indexOf('~') + 1) : pid.substring(pid.lastIndexOf('.') + 1);
        SettingsUpdate.apply("DHCP client class configuration " + pid, properties,
                config -> ClientClass.parse(name, config), LOG, accepted
                        ? "the previous version of this class keeps applying" : "this class does not apply until it"
                        + " is fixed")
                .ifPresent(clientClass -> {
                    table.putClass(pid, clientClass);
                    accepted = true;
                });
    }
}
