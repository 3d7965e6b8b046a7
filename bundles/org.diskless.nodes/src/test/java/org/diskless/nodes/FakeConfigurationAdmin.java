package org.diskless.nodes;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;

/**
 * An in-memory Config Admin for tests: factory configurations, update, delete, and
 * listConfigurations with no filter, a {@code (service.factoryPid=...)} or a
 * {@code (service.pid=...)} filter. Counts the properties it hands out, so a test can tell how much
 * of the inventory a change made the reader read.
 */
public final class FakeConfigurationAdmin {

    private static final Pattern FACTORY_FILTER = Pattern.compile("\\(service\\.factoryPid=([^)]*)\\)");
    private static final Pattern PID_FILTER = Pattern.compile("\\(service\\.pid=((?:[^)\\\\]|\\\\.)*)\\)");

    private final Map<String, Stored> configurations = new LinkedHashMap<>();
    private int counter;
    private long propertiesRead;

    private static final class Stored {
        final String pid;
        final String factoryPid;
        Hashtable<String, Object> properties;

        Stored(String pid, String factoryPid) {
            this.pid = pid;
            this.factoryPid = factoryPid;
        }
    }

    public ConfigurationAdmin service() {
        InvocationHandler handler = (proxy, method, args) -> switch (method.getName()) {
            case "createFactoryConfiguration" -> {
                String factoryPid = (String) args[0];
                Stored stored = new Stored(factoryPid + "~" + (++counter), factoryPid);
                configurations.put(stored.pid, stored);
                yield configuration(stored);
            }
            case "getFactoryConfiguration" -> {
                String factoryPid = (String) args[0];
                Stored stored = configurations.computeIfAbsent(factoryPid + "~" + args[1],
                        pid -> new Stored(pid, factoryPid));
                yield configuration(stored);
            }
            case "listConfigurations" -> list((String) args[0]);
            case "toString" -> "FakeConfigurationAdmin";
            default -> throw new UnsupportedOperationException(method.getName());
        };
        return (ConfigurationAdmin) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ConfigurationAdmin.class}, handler);
    }

    /** Adds a configuration as an operator's file would; returns its PID. */
    public String put(String factoryPid, Map<String, ?> properties) {
        Stored stored = new Stored(factoryPid + "~" + (++counter), factoryPid);
        stored.properties = withIds(stored, properties);
        configurations.put(stored.pid, stored);
        return stored.pid;
    }

    /** Adds the factory configuration {@code factoryPid~name}, as FileInstall does for a file; returns its PID. */
    public String putNamed(String factoryPid, String name, Map<String, ?> properties) {
        Stored stored = new Stored(factoryPid + "~" + name, factoryPid);
        stored.properties = withIds(stored, properties);
        configurations.put(stored.pid, stored);
        return stored.pid;
    }

    public void update(String pid, Map<String, ?> properties) {
        Stored stored = configurations.get(pid);
        stored.properties = withIds(stored, properties);
    }

    public void delete(String pid) {
        configurations.remove(pid);
    }

    /** Properties of every updated configuration, by PID, without the service.* keys. */
    public Map<String, Map<String, Object>> contents() {
        Map<String, Map<String, Object>> contents = new LinkedHashMap<>();
        for (Stored stored : configurations.values()) {
            if (stored.properties != null) {
                Map<String, Object> map = new LinkedHashMap<>(stored.properties);
                map.keySet().removeIf(k -> k.startsWith("service."));
                contents.put(stored.pid, map);
            }
        }
        return contents;
    }

    /** The event Config Admin sends its listeners when {@code pid} is updated or deleted. */
    @SuppressWarnings("unchecked")
    public static ConfigurationEvent event(int type, String factoryPid, String pid) {
        ServiceReference<ConfigurationAdmin> reference = (ServiceReference<ConfigurationAdmin>) Proxy.newProxyInstance(
                FakeConfigurationAdmin.class.getClassLoader(), new Class<?>[] {ServiceReference.class},
                (proxy, method, args) -> null);
        return new ConfigurationEvent(reference, type, factoryPid, pid);
    }

    /** How many times a configuration's properties were handed out. */
    public long propertiesRead() {
        return propertiesRead;
    }

    private Configuration[] list(String filter) {
        String factoryPid = null;
        Matcher byPid = filter == null ? null : PID_FILTER.matcher(filter);
        if (byPid != null && byPid.matches()) {
            Stored stored = configurations.get(byPid.group(1).replaceAll("\\\\(.)", "$1"));
            return stored == null || stored.properties == null ? null : new Configuration[] {configuration(stored)};
        }
        if (filter != null) {
            Matcher m = FACTORY_FILTER.matcher(filter);
            if (!m.matches()) {
                throw new UnsupportedOperationException("fake supports only (service.factoryPid=...): " + filter);
            }
            factoryPid = m.group(1);
        }
        List<Configuration> found = new ArrayList<>();
        for (Stored stored : configurations.values()) {
            if (stored.properties != null && (factoryPid == null || factoryPid.equals(stored.factoryPid))) {
                found.add(configuration(stored));
            }
        }
        return found.isEmpty() ? null : found.toArray(Configuration[]::new); // Config Admin answers null, not []
    }

    private Configuration configuration(Stored stored) {
        InvocationHandler handler = (proxy, method, args) -> switch (method.getName()) {
            case "getPid" -> stored.pid;
            case "getFactoryPid" -> stored.factoryPid;
            case "getProperties" -> {
                propertiesRead++;
                yield stored.properties == null ? null : new Hashtable<>(stored.properties);
            }
            case "update" -> {
                if (args == null || args.length == 0) {
                    yield null;
                }
                @SuppressWarnings("unchecked")
                Dictionary<String, Object> dictionary = (Dictionary<String, Object>) args[0];
                Map<String, Object> map = new LinkedHashMap<>();
                for (String key : Collections.list(dictionary.keys())) {
                    map.put(key, dictionary.get(key));
                }
                stored.properties = withIds(stored, map);
                configurations.putIfAbsent(stored.pid, stored);
                yield null;
            }
            case "delete" -> {
                configurations.remove(stored.pid);
                yield null;
            }
            case "toString" -> "Configuration " + stored.pid;
            case "hashCode" -> stored.pid.hashCode();
            case "equals" -> proxy == args[0];
            default -> throw new UnsupportedOperationException(method.getName());
        };
        return (Configuration) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Configuration.class}, handler);
    }

    private static Hashtable<String, Object> withIds(Stored stored, Map<String, ?> properties) {
        Hashtable<String, Object> table = new Hashtable<>(properties);
        table.put("service.pid", stored.pid);
        table.put("service.factoryPid", stored.factoryPid);
        return table;
    }
}
