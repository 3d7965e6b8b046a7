package org.diskless.dhcp.internal;

import java.util.Map;
import java.util.Optional;

import org.diskless.support.config.FactoryEntry;
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
    private final FactoryEntry<ClientClass> entry;

    @Activate
    public ClientClassComponent(@Reference ClientClassTable table, Map<String, Object> properties) {
        this.table = table;
        this.entry = new FactoryEntry<>(properties, LOG);
        modified(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        entry.apply(properties, config -> ClientClass.parse(entry.name(), config), (pid, clientClass) -> {
            table.putClass(pid, clientClass);
            return Optional.empty();
        });
    }

    @Deactivate
    void deactivate() {
        table.removeClass(entry.pid());
    }
}
