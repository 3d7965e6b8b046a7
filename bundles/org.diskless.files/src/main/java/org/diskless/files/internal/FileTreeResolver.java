package org.diskless.files.internal;

import static org.diskless.api.files.BootFileException.Reason.ALREADY_EXISTS;
import static org.diskless.api.files.BootFileException.Reason.IO_ERROR;
import static org.diskless.api.files.BootFileException.Reason.NOT_FOUND;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.diskless.api.boot.BootContext;
import org.diskless.api.files.BootFile;
import org.diskless.api.files.BootFileException;
import org.diskless.api.files.BootFileProvider;
import org.diskless.api.files.BootFileResolver;
import org.diskless.api.files.BootFileUpload;
import org.diskless.support.config.Config;
import org.diskless.support.config.SettingsUpdate;
import org.diskless.support.log.LogThrottle;
import org.diskless.support.log.Printable;
import org.osgi.framework.Constants;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The boot tree under the configured root, then the generated files. A file that exists in the
 * tree wins, so an operator can always override what a provider generates.
 */
@Component(configurationPid = "org.diskless.files", service = BootFileResolver.class)
@Designate(ocd = FilesConfig.class)
public final class FileTreeResolver implements BootFileResolver {

    private static final Logger LOG = LoggerFactory.getLogger(FileTreeResolver.class);
    private static final String CONFIGURATION = "etc/org.diskless.files.cfg";
    /** How much of a requested name, which came from the network, a log line quotes. */
    private static final int MAX_NAME_SHOWN = 128;

    private static final Comparator<RankedProvider> HIGHEST_RANKING_FIRST =
            Comparator.comparingInt(RankedProvider::ranking).reversed()
                    .thenComparingLong(RankedProvider::serviceId);

    private record RankedProvider(BootFileProvider provider, int ranking, long serviceId) {
    }

    private final List<RankedProvider> providers = new CopyOnWriteArrayList<>();
    private final LogThrottle providerFailures = new LogThrottle(Duration.ofMinutes(1));
    private final ServerDirectories server;
    /** The tree served; null while no configuration has named a usable root. */
    private volatile FileJail jail;

    @Activate
    public FileTreeResolver(Map<String, Object> properties) {
        this(properties, ServerDirectories.ofKaraf());
    }

    FileTreeResolver(Map<String, Object> properties, ServerDirectories server) {
        this.server = server;
        apply(properties);
    }

    /** Package-private for tests: a resolver over a root without OSGi. */
    FileTreeResolver(Path root) {
        this.server = new ServerDirectories(Optional.empty(), List.of());
        this.jail = new FileJail(root);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        apply(properties);
    }

    /** A new root is checked whole first ({@link FilesSettings}); refused, the root in force keeps serving. */
    private synchronized void apply(Map<String, Object> properties) {
        FileJail current = jail;
        Optional<FilesSettings> accepted = SettingsUpdate.apply(CONFIGURATION, properties,
                config -> FilesSettings.parse(config, server), LOG, current == null
                        ? "no boot file is served until this is fixed"
                        : "still serving boot files from " + current.root());
        if (accepted.isEmpty()) {
            return;
        }
        Path root = accepted.get().root();
        if (current == null || !root.equals(current.root())) {
            jail = new FileJail(root);
        }
        if (current == null) {
            LOG.info("Serving boot files from {}", root);
        } else {
            SettingsUpdate.updated(LOG, CONFIGURATION, "boot files served from " + root);
        }
    }

    /** The tree served, or a refusal every protocol passes on while there is none. */
    private FileJail jail() throws BootFileException {
        FileJail current = jail;
        if (current == null) {
            throw new BootFileException(IO_ERROR, "no boot root: " + CONFIGURATION + " names none that can be"
                    + " served (see the log)");
        }
        return current;
    }

    /**
     * Providers are bound as service objects and got at their first use, not while this component
     * activates: a boot loader is a provider that itself uses this resolver (to measure a RAM-disk
     * image), so getting it during our activation is a cycle, which the framework reports with a
     * stack trace at every start.
     */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            service = BootFileProvider.class, updated = "updatedProviderService", unbind = "removeProviderService")
    void addProviderService(ComponentServiceObjects<BootFileProvider> objects, Map<String, Object> properties) {
        addProvider(new ProviderOnDemand(objects), properties);
    }

    void updatedProviderService(ComponentServiceObjects<BootFileProvider> objects, Map<String, Object> properties) {
        onDemand(objects).ifPresent(provider -> updatedProvider(provider, properties));
    }

    void removeProviderService(ComponentServiceObjects<BootFileProvider> objects) {
        onDemand(objects).ifPresent(provider -> {
            removeProvider(provider);
            provider.release();
        });
    }

    private Optional<ProviderOnDemand> onDemand(ComponentServiceObjects<BootFileProvider> objects) {
        return providers.stream()
                .map(RankedProvider::provider)
                .filter(provider -> provider instanceof ProviderOnDemand onDemand
                        && onDemand.objects.getServiceReference().equals(objects.getServiceReference()))
                .map(ProviderOnDemand.class::cast)
                .findFirst();
    }

    /** A provider service, got from the framework when first asked and given back when it goes. */
    private static final class ProviderOnDemand implements BootFileProvider {
        private final ComponentServiceObjects<BootFileProvider> objects;
        private BootFileProvider service;

        ProviderOnDemand(ComponentServiceObjects<BootFileProvider> objects) {
            this.objects = objects;
        }

        private synchronized BootFileProvider service() {
            if (service == null) {
                service = objects.getService();
            }
            if (service == null) {
                throw new IllegalStateException("the provider service is gone");
            }
            return service;
        }

        @Override
        public Optional<byte[]> generate(String path, BootContext context) {
            return service().generate(path, context);
        }

        synchronized void release() {
            if (service != null) {
                objects.ungetService(service);
                service = null;
            }
        }

        @Override
        public synchronized String toString() {
            return service == null ? String.valueOf(objects.getServiceReference()) : service.getClass().getName();
        }
    }

    synchronized void addProvider(BootFileProvider provider, Map<String, Object> properties) {
        providers.add(ranked(provider, properties));
        providers.sort(HIGHEST_RANKING_FIRST);
    }

    /** A provider's new service.ranking (its configuration edited) counts from the next request, not the next restart. */
    synchronized void updatedProvider(BootFileProvider provider, Map<String, Object> properties) {
        providers.replaceAll(ranked -> ranked.provider() == provider ? ranked(provider, properties) : ranked);
        providers.sort(HIGHEST_RANKING_FIRST);
    }

    private static RankedProvider ranked(BootFileProvider provider, Map<String, Object> properties) {
        return new RankedProvider(provider, Config.ranking(properties),
                (Long) properties.getOrDefault(Constants.SERVICE_ID, 0L));
    }

    void removeProvider(BootFileProvider provider) {
        providers.removeIf(ranked -> ranked.provider() == provider);
    }

    /**
     * For each candidate name — the requested one, then, for a pxelinux/GRUB config name of this
     * client, the rest of its lookup chain ({@link ConfigLookupChain}) — the file in the tree
     * (through context-dependent files, {@link CdfContexts}), else a generated one. The first that
     * exists is served; when none does, the client learns why its own name failed.
     */
    @Override
    public BootFile resolve(String path, BootContext context) throws BootFileException {
        FileJail current = jail();
        String normalized = current.normalize(path);
        List<String> contexts = CdfContexts.of(context);
        Optional<ConfigLookupChain> chain = ConfigLookupChain.forRequest(normalized, context);
        BootFileException requestedFailure = null;
        for (String candidate : chain.map(ConfigLookupChain::candidates).orElse(List.of(normalized))) {
            try {
                BootFile found = inTreeOrGenerated(current, candidate, contexts, context);
                if (!candidate.equals(normalized)) {
                    LOG.debug("{} asked for '{}', served '{}' (lookup chain {})", context.client(), shown(normalized),
                            shown(found.path()), chain.get());
                }
                return found;
            } catch (BootFileException refused) {
                if (candidate.equals(normalized)) {
                    if (refused.reason() != NOT_FOUND) {
                        throw refused; // the name the client asked for exists but may not be served
                    }
                    requestedFailure = refused;
                } else {
                    // pxelinux takes any error on a chain name as "not there" and asks the next one.
                    LOG.debug("Lookup chain of '{}' skips '{}': {}", shown(normalized), shown(candidate),
                            shown(refused.getMessage()));
                }
            }
        }
        throw requestedFailure; // the requested name is always the first candidate
    }

    /** The file in the tree, else a generated one; NOT_FOUND when neither exists. */
    private BootFile inTreeOrGenerated(FileJail current, String candidate, List<String> contexts,
            BootContext context) throws BootFileException {
        try {
            FileJail.Located located = current.locateReadable(candidate, contexts);
            return treeFile(located, candidate);
        } catch (BootFileException notInTree) {
            if (notInTree.reason() != NOT_FOUND) {
                throw notInTree;
            }
            return generated(candidate, context).orElseThrow(() -> notInTree);
        }
    }

    private Optional<BootFile> generated(String normalized, BootContext context) {
        for (RankedProvider ranked : providers) {
            Optional<byte[]> content;
            try {
                content = ranked.provider().generate(normalized, context);
            } catch (RuntimeException e) {
                // A third-party provider must not take the file server down with it, nor, failing on
                // every request of a boot storm, the log: a line a minute per provider.
                String name = ranked.provider() instanceof ProviderOnDemand onDemand
                        ? onDemand.toString() : ranked.provider().getClass().getName();
                providerFailures.warn(LOG, name, "Boot file provider {} failed on '{}'; asking the next one", name,
                        shown(normalized), e);
                continue;
            }
            if (content.isPresent()) {
                return Optional.of(new GeneratedFile(normalized, content.get()));
            }
        }
        return Optional.empty();
    }

    @Override
    public BootFileUpload createUpload(String path, BootContext context, boolean replace) throws BootFileException {
        FileJail current = jail();
        String normalized = current.normalize(path);
        Path target = current.locateWritable(normalized);
        if (!replace && Files.exists(target)) {
            throw new BootFileException(ALREADY_EXISTS, "'" + normalized + "' already exists");
        }
        try {
            return new TreeUpload(normalized, target, replace);
        } catch (IOException e) {
            throw new BootFileException(IO_ERROR, "cannot create '" + normalized + "': " + e.getMessage(), e);
        }
    }

    private static String shown(String name) {
        return Printable.of(name, MAX_NAME_SHOWN);
    }

    /** The file with its size and modification time read at once, so both describe one version of it. */
    private static TreeFile treeFile(FileJail.Located located, String normalized) throws BootFileException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(located.real(), BasicFileAttributes.class);
            return new TreeFile(located.path(), located.real(), attributes.size(),
                    attributes.lastModifiedTime().toInstant());
        } catch (IOException e) {
            throw new BootFileException(IO_ERROR, "cannot read '" + normalized + "': " + e.getMessage(), e);
        }
    }
}
