package org.diskless.web.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.diskless.api.boot.BootEvent;
import org.diskless.api.leases.Lease;
import org.diskless.api.network.BootNetwork;
import org.diskless.api.network.PoolUsage;
import org.diskless.api.nodes.Node;
import org.diskless.api.stats.TransferInFlight;
import org.diskless.api.stats.TransfersInFlight;
import org.diskless.api.timeline.RecordedBoot;
import org.diskless.support.log.Printable;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

/**
 * The API's JSON, both ways: what the server says (nodes, boots, tiles, leases, errors) and the
 * node a client sends, turned into the settings of a node file for {@code NodeEditor}, which checks
 * them as {@code nodes:add} does. Field names are those of the OpenAPI document (docs/api/openapi.yaml).
 */
final class Json {

    /** Text from the network (event details) is capped again here, as the API promises it. */
    static final int MAX_DETAIL_CHARS = 300;
    /** The fields a node may have; any other is refused, so that a typo is not silently dropped. */
    static final Set<String> NODE_FIELDS = Set.of("name", "mac", "address", "uuid", "architecture", "group",
            "hardwareContexts", "bootFiles");

    private Json() {
    }

    static JsonObject node(Node node) {
        JsonObject json = new JsonObject();
        json.addProperty("name", node.name());
        json.addProperty("mac", node.hardwareAddress().toString());
        node.address().ifPresent(a -> json.addProperty("address", a.getHostAddress()));
        node.uuid().ifPresent(u -> json.addProperty("uuid", u.toString()));
        node.architecture().ifPresent(a -> json.addProperty("architecture", a.code()));
        node.group().ifPresent(g -> json.addProperty("group", g));
        JsonArray contexts = new JsonArray();
        node.hardwareContexts().forEach(contexts::add);
        json.add("hardwareContexts", contexts);
        JsonObject files = new JsonObject();
        node.bootFiles().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> files.addProperty(e.getKey(), e.getValue()));
        json.add("bootFiles", files);
        return json;
    }

    static JsonArray nodes(Collection<Node> nodes) {
        JsonArray array = new JsonArray();
        nodes.forEach(n -> array.add(node(n)));
        return array;
    }

    /** A node's tile on the dashboard: who, and where its last boot stands. */
    static JsonObject tile(Node node, Optional<RecordedBoot> lastBoot) {
        JsonObject json = new JsonObject();
        json.addProperty("name", node.name());
        json.addProperty("mac", node.hardwareAddress().toString());
        node.group().ifPresent(g -> json.addProperty("group", g));
        json.addProperty("stage", BootStage.of(node, lastBoot).id());
        BootStage.reason(lastBoot).ifPresent(r -> json.addProperty("reason", Printable.of(r, MAX_DETAIL_CHARS)));
        lastBoot.ifPresent(b -> {
            json.addProperty("started", b.started().toString());
            json.addProperty("lastActivity", b.lastActivity().toString());
        });
        return json;
    }

    /**
     * One boot with its events, each timed from the boot's start ({@code at}, ms) with the duration
     * of its step ({@code durationMillis}: a file event ends a transfer that began that long before).
     */
    static JsonObject boot(Node node, RecordedBoot boot) {
        JsonObject json = new JsonObject();
        json.addProperty("started", boot.started().toString());
        json.addProperty("lastActivity", boot.lastActivity().toString());
        json.addProperty("stage", BootStage.of(node, Optional.of(boot)).id());
        BootStage.reason(Optional.of(boot)).ifPresent(r -> json.addProperty("reason",
                Printable.of(r, MAX_DETAIL_CHARS)));
        json.addProperty("omittedEvents", boot.omittedEvents());
        JsonArray events = new JsonArray();
        for (BootEvent event : boot.events()) {
            events.add(event(event, boot.started(), boot.failures().contains(event)));
        }
        json.add("events", events);
        return json;
    }

    static JsonObject event(BootEvent event, Instant bootStarted, boolean failure) {
        JsonObject json = new JsonObject();
        json.addProperty("time", event.time().toString());
        json.addProperty("at", Duration.between(bootStarted, event.time()).toMillis());
        json.addProperty("protocol", event.protocol().name());
        json.addProperty("kind", event.kind().name());
        json.addProperty("client", event.client().getHostAddress());
        event.hardwareAddress().ifPresent(m -> json.addProperty("mac", m.toString()));
        json.addProperty("detail", Printable.of(event.detail(), MAX_DETAIL_CHARS));
        json.addProperty("bytes", event.bytes());
        json.addProperty("durationMillis", event.duration().toMillis());
        json.addProperty("failure", failure);
        return json;
    }

    static JsonObject lease(Lease lease) {
        JsonObject json = new JsonObject();
        json.addProperty("address", lease.address().getHostAddress());
        json.addProperty("mac", lease.hardwareAddress().toString());
        json.addProperty("clientId", lease.clientId());
        json.addProperty("state", lease.state().name().toLowerCase(java.util.Locale.ROOT));
        json.addProperty("start", lease.start().toString());
        json.addProperty("expires", lease.expires().toString());
        return json;
    }

    /**
     * The networks DHCP serves, each with its pool's usage (when DHCP publishes it) and the leases in
     * it; leases in none of them come last, as {@code other}.
     */
    static JsonArray leasesByNetwork(List<BootNetwork> networks, List<PoolUsage> pools, Collection<Lease> leases,
            Instant now) {
        JsonArray array = new JsonArray();
        List<Lease> rest = new ArrayList<>(leases);
        rest.sort((a, b) -> Integer.compareUnsigned(toInt(a), toInt(b)));
        for (BootNetwork network : networks) {
            JsonObject json = new JsonObject();
            json.addProperty("name", network.name());
            json.addProperty("subnet", network.cidr());
            pools.stream().filter(p -> p.subnet().equals(network.name())).findFirst()
                    .ifPresent(p -> json.add("pool", pool(p)));
            JsonArray in = new JsonArray();
            rest.stream().filter(l -> network.contains(l.address())).forEach(l -> in.add(leaseAt(l, now)));
            rest.removeIf(l -> network.contains(l.address()));
            json.add("leases", in);
            array.add(json);
        }
        if (!rest.isEmpty()) {
            JsonObject json = new JsonObject();
            json.addProperty("name", "other");
            JsonArray in = new JsonArray();
            rest.forEach(l -> in.add(leaseAt(l, now)));
            json.add("leases", in);
            array.add(json);
        }
        return array;
    }

    static JsonObject pool(PoolUsage pool) {
        JsonObject json = new JsonObject();
        JsonArray ranges = new JsonArray();
        pool.ranges().forEach(ranges::add);
        json.add("ranges", ranges);
        json.addProperty("size", pool.size());
        json.addProperty("bound", pool.bound());
        json.addProperty("offered", pool.offered());
        json.addProperty("declined", pool.declined());
        json.addProperty("free", pool.free());
        return json;
    }

    private static JsonObject leaseAt(Lease lease, Instant now) {
        JsonObject json = lease(lease);
        json.addProperty("active", lease.isActiveAt(now));
        return json;
    }

    private static int toInt(Lease lease) {
        byte[] b = lease.address().getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    static JsonObject transfer(TransferInFlight transfer) {
        JsonObject json = new JsonObject();
        json.addProperty("protocol", transfer.protocol().name());
        json.addProperty("client", Printable.of(transfer.client(), 100));
        json.addProperty("file", Printable.of(transfer.file(), MAX_DETAIL_CHARS));
        json.addProperty("bytesSent", transfer.bytesSent());
        transfer.size().ifPresent(size -> json.addProperty("size", size));
        json.addProperty("started", transfer.started().toString());
        return json;
    }

    /** Every protocol's transfers in flight, oldest first. */
    static JsonArray transfers(Collection<TransfersInFlight> protocols) {
        JsonArray array = new JsonArray();
        protocols.stream().flatMap(p -> p.transfers().stream())
                .sorted(java.util.Comparator.comparing(TransferInFlight::started))
                .forEach(t -> array.add(transfer(t)));
        return array;
    }

    static JsonObject error(String field, String message) {
        JsonObject json = new JsonObject();
        json.addProperty("error", Printable.of(message, 500));
        if (field != null) {
            json.addProperty("field", field);
        }
        return json;
    }

    static JsonElement parse(String body) throws BadRequest {
        try {
            return JsonParser.parseString(body);
        } catch (JsonParseException | IllegalStateException e) {
            // Gson wraps the reader's exception: its own message says where, without a class name.
            Throwable where = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause() : e;
            throw new BadRequest("body", "not JSON: " + Printable.of(String.valueOf(where.getMessage()), 200));
        }
    }

    /**
     * The settings of a node file for the node {@code body} describes: {@code bootFiles} as an
     * object of role to path, {@code hardwareContexts} as a list, {@code architecture} as a number,
     * the rest as text. Only the shapes are checked here; the values are {@code NodeEditor}'s to judge.
     */
    static Map<String, Object> nodeSettings(JsonElement body) throws BadRequest {
        if (!body.isJsonObject()) {
            throw new BadRequest("body", "a node is a JSON object such as {\"name\": \"pc01\", \"mac\":"
                    + " \"52:54:00:12:34:56\"}");
        }
        Map<String, Object> settings = new HashMap<>();
        for (Map.Entry<String, JsonElement> field : body.getAsJsonObject().entrySet()) {
            String key = field.getKey();
            JsonElement value = field.getValue();
            if (!NODE_FIELDS.contains(key)) {
                throw new BadRequest(Printable.of(key, 64), "unknown field; a node has " + String.join(", ",
                        NODE_FIELDS.stream().sorted().toList()));
            }
            if (value.isJsonNull()) {
                continue;
            }
            switch (key) {
                case "architecture" -> settings.put(key, wholeNumber(key, value));
                case "hardwareContexts" -> settings.put(key, texts(key, value));
                case "bootFiles" -> settings.put(key, bootFiles(value));
                default -> settings.put(key, text(key, value));
            }
        }
        return settings;
    }

    private static String text(String key, JsonElement value) throws BadRequest {
        if (value instanceof JsonPrimitive p && p.isString()) {
            return p.getAsString();
        }
        throw new BadRequest(key, "expected a string");
    }

    private static Integer wholeNumber(String key, JsonElement value) throws BadRequest {
        if (value instanceof JsonPrimitive p && p.isNumber()) {
            try {
                return p.getAsBigDecimal().intValueExact();
            } catch (ArithmeticException notWhole) {
                // refused below
            }
        }
        throw new BadRequest(key, "expected a whole number, the DHCP option 93 code (0 BIOS, 7 x64 UEFI)");
    }

    private static String[] texts(String key, JsonElement value) throws BadRequest {
        if (!value.isJsonArray()) {
            throw new BadRequest(key, "expected a list of strings");
        }
        List<String> texts = new ArrayList<>();
        for (JsonElement element : value.getAsJsonArray()) {
            texts.add(text(key, element));
        }
        return texts.toArray(String[]::new);
    }

    private static String[] bootFiles(JsonElement value) throws BadRequest {
        if (!value.isJsonObject()) {
            throw new BadRequest("bootFiles", "expected an object of role to path, e.g. {\"kernel\": \"vmlinuz\"}");
        }
        List<String> entries = new ArrayList<>();
        for (Map.Entry<String, JsonElement> file : value.getAsJsonObject().entrySet()) {
            if (file.getKey().contains("=")) {
                throw new BadRequest("bootFiles", "a role is a name such as kernel or initrd, without '='");
            }
            entries.add(file.getKey() + "=" + text("bootFiles", file.getValue()));
        }
        return entries.toArray(String[]::new);
    }
}
