package org.diskless.web.internal;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.diskless.api.stats.ProtocolStatistics;
import org.diskless.support.config.SettingsUpdate;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code etc/org.diskless.web.cfg} in force: the access rules, and the failed logins of each client
 * address, which a change of the file keeps. A component of its own, apart from the servlet: a
 * configuration change of a whiteboard servlet re-registers it in the web container, which drops
 * the requests in flight.
 */
@Component(service = WebAccess.class, configurationPid = WebSettings.PID, immediate = true)
@Designate(ocd = WebConfig.class)
public final class WebAccess {

    private static final Logger LOG = LoggerFactory.getLogger(WebAccess.class);

    private final FailedLogins failedLogins = new FailedLogins(LoginLimits.DEFAULT);
    private final Function<String, Login> logins;
    private final ServiceRegistration<ProtocolStatistics> statistics;
    /** The rules in force; null while the configuration was refused from the start. */
    private volatile Access access;
    private WebSettings settings;

    @Activate
    public WebAccess(BundleContext context, Map<String, Object> properties) {
        this(properties, JaasLogin::new, context);
    }

    /** For tests: logins through {@code logins}, by realm name; no statistics service without a {@code context}. */
    WebAccess(Map<String, Object> properties, Function<String, Login> logins, BundleContext context) {
        this.logins = logins;
        apply(properties);
        this.statistics = context == null ? null
                : context.registerService(ProtocolStatistics.class, new WebStatistics(failedLogins), null);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        apply(properties);
    }

    @Deactivate
    void deactivate() {
        if (statistics != null) {
            statistics.unregister();
        }
    }

    /** The rules in force; empty while the configuration was refused from the start. */
    Optional<Access> rules() {
        return Optional.ofNullable(access);
    }

    private synchronized void apply(Map<String, Object> properties) {
        String keepsServing = settings == null ? "every request is answered 503 until this is fixed"
                : "the previous settings keep serving";
        Optional<WebSettings> accepted = SettingsUpdate.apply(WebSettings.FILE, properties, WebSettings::parse, LOG,
                keepsServing);
        if (accepted.isEmpty() || accepted.get().equals(settings)) {
            return;
        }
        WebSettings next = accepted.get();
        failedLogins.limits(next.logins());
        access = new Access(logins.apply(next.realm()), next.realm(), next.role(), failedLogins);
        settings = next;
        SettingsUpdate.updated(LOG, WebSettings.FILE, next);
    }
}
