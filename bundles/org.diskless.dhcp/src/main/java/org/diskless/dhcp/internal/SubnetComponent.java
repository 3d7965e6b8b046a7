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
 * One subnet configuration, checked and handed to the DHCP server. A configuration with an error
 * is refused with the key and the reason; if it replaced a good one, the good one keeps serving.
 */
@Component(configurationPid = Subnet.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = SubnetConfig.class, factory = true)
public final class SubnetComponent {

    private static final Logger LOG = LoggerFactory.getLogger(SubnetComponent.class);

    private final SubnetTable table;
    private final FactoryEntry<Subnet> entry;

    @Activate
    public SubnetComponent(@Reference SubnetTable table, Map<String, Object> properties) {
        this.table = table;
        this.entry = new FactoryEntry<>(properties, LOG);
        modified(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        entry.apply(properties, config -> Subnet.parse(entry.name(), config), (pid, subnet) -> table.put(pid, subnet)
                .map(refused -> new FactoryEntry.Refusal(refused.why(), Optional.of(refused.keepsServing()))));
    }

    @Deactivate
    void deactivate() {
        table.remove(entry.pid());
    }
}
