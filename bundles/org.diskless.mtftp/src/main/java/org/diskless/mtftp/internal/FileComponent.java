package org.diskless.mtftp.internal;

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
 * One multicast file configuration, checked and handed to the server. A configuration with an
 * error is refused with the key and the reason; if it replaced a good one, the good one keeps
 * serving.
 */
@Component(configurationPid = FileSettings.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = FileConfig.class, factory = true)
public final class FileComponent {

    private static final Logger LOG = LoggerFactory.getLogger(FileComponent.class);

    private final FileRegistry registry;
    private final String pid;
    private boolean accepted;

    @Activate
    public FileComponent(@Reference FileRegistry registry, Map<String, Object> properties) {
        this.registry = registry;
        this.pid = String.valueOf(properties.get(Constants.SERVICE_PID));
        apply(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        apply(properties);
    }

    @Deactivate
    void deactivate() {
        registry.remove(pid);
    }

    private void apply(Map<String, Object> properties) {
        String file = SettingsUpdate.fileOf(properties);
        Optional<FileSettings> settings = SettingsUpdate.apply(file, properties, FileSettings::parse, LOG,
                keepsServing());
        if (settings.isEmpty()) {
            return;
        }
        Optional<String> refusal = registry.put(pid, settings.get());
        if (refusal.isPresent()) {
            SettingsUpdate.refused(LOG, file, refusal.get(), accepted
                    ? "the previous version of this file keeps serving"
                    : "it is multicast once that no longer holds");
            return;
        }
        if (accepted) {
            SettingsUpdate.updated(LOG, file, settings.get());
        }
        accepted = true;
    }

    private String keepsServing() {
        return accepted ? "the previous version of this file keeps serving" : "this file is not multicast until it"
                + " is fixed";
    }
}
