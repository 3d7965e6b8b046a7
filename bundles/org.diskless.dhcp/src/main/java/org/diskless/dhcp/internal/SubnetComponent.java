package org.diskless.dhcp.internal;

import java.util.Map;
import java.util.Optional;

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
 * One subnet configuration, checked and handed to the DHCP server. A configuration with an error
 * is refused with the key and the reason; if it replaced a good one, the good one keeps serving.
 */
@Component(configurationPid = Subnet.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = SubnetConfig.class, factory = true)
public final class SubnetComponent {

    private static final Logger LOG = LoggerFactory.getLogger(SubnetComponent.class);

    private final SubnetTable table;
    private final String pid;
    private boolean accepted;

    @Activate
    public SubnetComponent(@Reference SubnetTable table, Map<String, Object> properties) {
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
        table.remove(pid);
    }

    private void apply(Map<String, Object> properties) {
        String name = pid.contains("~") ? pid.substring(pid.indexOf('~') + 1)
                : pid.substring(pid.lastIndexOf('.') + 1);
        String file = SettingsUpdate.fileOf(properties);
        Optional<Subnet> subnet = SettingsUpdate.apply(file, properties, config -> Subnet.parse(name, config), LOG,
                keepsServing());
        if (subnet.isEmpty()) {
            return;
        }
        Optional<SubnetTable.Refusal> refusal = table.put(pid, subnet.get());
        if (refusal.isPresent()) {
            SettingsUpdate.refused(LOG, file, refusal.get().why(), refusal.get().keepsServing());
        } else if (accepted) {
            SettingsUpdate.updated(LOG, file, subnet.get());
        }
        accepted |= refusal.isEmpty();
    }

    private String keepsServing() {
        return accepted ? "the previous version of this subnet keeps serving"
                : "this subnet is not served until it is fixed";
    }
}
