package dev.cirrus.gateway.operator;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

import dev.cirrus.contracts.placement.v1.Allocation;
import dev.cirrus.contracts.placement.v1.Host;
import dev.cirrus.contracts.placement.v1.HostOperationResponse;
import dev.cirrus.contracts.placement.v1.HostSelector;
import dev.cirrus.contracts.placement.v1.ListAllocationsRequest;
import dev.cirrus.contracts.placement.v1.Maintenance;
import dev.cirrus.contracts.placement.v1.Move;
import dev.cirrus.contracts.placement.v1.RackRef;
import dev.cirrus.gateway.arm.ArmPath;
import dev.cirrus.gateway.authorization.ArmAction;
import dev.cirrus.gateway.authorization.Authorizer;
import dev.cirrus.gateway.identity.Caller;
import dev.cirrus.gateway.support.Blocking;
import dev.cirrus.plumbing.arm.ArmException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The operator API of the placement engine (Cirrus's own, like the rest of {@code /cirrus/**}): the inventory with
 * its utilization, host and rack failures, drains and recoveries, planned maintenance of a cluster. Authenticated
 * like every call; each needs a role at the root scope {@code /} allowing its action (the administrator is Owner
 * there; a Reader at {@code /} may read, not act):
 * <ul>
 *   <li>{@code GET /cirrus/placement/hosts[?region=]} ({@code Cirrus.Placement/hosts/read}),
 *       {@code …/racks[?region=]} ({@code …/racks/read}), {@code …/clusters[?region=]} ({@code …/clusters/read}):
 *       capacity, use, free capacity, utilization (0..1), state, allocations;</li>
 *   <li>{@code POST /cirrus/placement/hosts/{host}/fail|recover|drain} ({@code Cirrus.Placement/hosts/{verb}/action})
 *       and {@code POST /cirrus/placement/clusters/{cluster}/racks/{rack}/fail|recover|drain}
 *       ({@code …/racks/{verb}/action}): the hosts changed and one move per VM that was on them;</li>
 *   <li>{@code POST /cirrus/placement/maintenances} {@code {"region","cluster","pause"?}} ({@code …/maintenances/write}):
 *       201 with {@code Location}; {@code GET /cirrus/placement/maintenances/{id}} ({@code …/maintenances/read}): its
 *       progress.</li>
 * </ul>
 * Authorization comes first (a caller without the role learns nothing, not even that its input is bad); then bad
 * input is a 400 naming its target, an unknown host, rack, cluster, region or maintenance a 404, the engine down
 * a 503, too slow a 504 ({@link PlacementOperator}).
 */
@RestController
class PlacementOperatorController {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern REGION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ]{0,63}");
    private static final Duration MAX_PAUSE = Duration.ofDays(1);

    private final PlacementOperator engine;
    private final Authorizer authorizer;

    PlacementOperatorController(PlacementOperator engine, Authorizer authorizer) {
        this.engine = engine;
        this.authorizer = authorizer;
    }

    @GetMapping("/cirrus/placement/hosts")
    Mono<Map<String, Object>> hosts(@RequestParam(required = false) String region, ServerWebExchange exchange) {
        return inventory("hosts", region, exchange, hosts -> hosts.stream().map(PlacementOperatorController::host)
                .toList());
    }

    @GetMapping("/cirrus/placement/racks")
    Mono<Map<String, Object>> racks(@RequestParam(required = false) String region, ServerWebExchange exchange) {
        return inventory("racks", region, exchange, hosts -> aggregate(hosts,
                h -> h.getRegion() + "/" + h.getCluster() + "/" + h.getRack(), (h, row) -> {
                    row.put("name", h.getRack());
                    row.put("region", h.getRegion());
                    row.put("cluster", h.getCluster());
                    row.put("faultDomain", h.getFaultDomain());
                }));
    }

    @GetMapping("/cirrus/placement/clusters")
    Mono<Map<String, Object>> clusters(@RequestParam(required = false) String region, ServerWebExchange exchange) {
        return inventory("clusters", region, exchange, hosts -> aggregate(hosts,
                h -> h.getRegion() + "/" + h.getCluster(), (h, row) -> {
                    row.put("name", h.getCluster());
                    row.put("region", h.getRegion());
                }));
    }

    /**
     * The allocations (VMs, scale-set instances, container groups' and plans' hosts) on a host, on a rack, or of an
     * availability set or scale set ({@code group}: its lower-cased id): exactly one of {@code host},
     * {@code cluster}+{@code rack}, {@code group}.
     */
    @GetMapping("/cirrus/placement/allocations")
    Mono<Map<String, Object>> allocations(@RequestParam(required = false) String host,
                                          @RequestParam(required = false) String cluster,
                                          @RequestParam(required = false) String rack,
                                          @RequestParam(required = false) String group, ServerWebExchange exchange) {
        Caller caller = caller(exchange);
        return Blocking.call(() -> {
            authorizer.require(caller, new ArmAction("Cirrus.Placement/allocations/read", "/"));
            int selectors = (host == null ? 0 : 1) + (rack == null && cluster == null ? 0 : 1) + (group == null ? 0 : 1);
            if (selectors != 1) {
                throw ArmException.invalidParameter("Give exactly one of 'host', 'cluster' with 'rack', or 'group'.",
                        "host");
            }
            ListAllocationsRequest.Builder request = ListAllocationsRequest.newBuilder();
            String notFound;
            if (host != null) {
                name(host, "host");
                request.setHost(host);
                notFound = "HostNotFound";
            } else if (group != null) {
                if (group.isBlank() || group.length() > 1024) {
                    throw ArmException.invalidParameter("The group must be an availability set's or scale set's id.",
                            "group");
                }
                request.setGroupId(group.strip().toLowerCase(java.util.Locale.ROOT));
                notFound = "ResourceNotFound";
            } else {
                if (cluster == null || rack == null) {
                    throw ArmException.invalidParameter("A rack is named by 'cluster' and 'rack'.",
                            cluster == null ? "cluster" : "rack");
                }
                name(cluster, "cluster");
                name(rack, "rack");
                request.setRack(RackRef.newBuilder().setCluster(cluster).setRack(rack));
                notFound = "RackNotFound";
            }
            return Map.of("value", engine.listAllocations(request.build(), notFound).getAllocationsList().stream()
                    .map(PlacementOperatorController::allocation).toList());
        });
    }

    @PostMapping("/cirrus/placement/hosts/{host}/{verb}")
    Mono<Map<String, Object>> hostOperation(@PathVariable String host, @PathVariable String verb,
                                            ServerWebExchange exchange) {
        Caller caller = caller(exchange);
        return Blocking.call(() -> {
            authorizer.require(caller, new ArmAction("Cirrus.Placement/hosts/" + action(verb) + "/action", "/"));
            String operation = verb(verb);
            name(host, "host");
            return outcome(operate(operation, HostSelector.newBuilder().setHost(host).build(), "HostNotFound"));
        });
    }

    @PostMapping("/cirrus/placement/clusters/{cluster}/racks/{rack}/{verb}")
    Mono<Map<String, Object>> rackOperation(@PathVariable String cluster, @PathVariable String rack,
                                            @PathVariable String verb, ServerWebExchange exchange) {
        Caller caller = caller(exchange);
        return Blocking.call(() -> {
            authorizer.require(caller, new ArmAction("Cirrus.Placement/racks/" + action(verb) + "/action", "/"));
            String operation = verb(verb);
            name(cluster, "cluster");
            name(rack, "rack");
            return outcome(operate(operation, HostSelector.newBuilder()
                    .setRack(RackRef.newBuilder().setCluster(cluster).setRack(rack)).build(), "RackNotFound"));
        });
    }

    @PostMapping("/cirrus/placement/maintenances")
    Mono<ResponseEntity<Map<String, Object>>> startMaintenance(@RequestBody(required = false) JsonNode body,
                                                               ServerWebExchange exchange) {
        Caller caller = caller(exchange);
        URI base = exchange.getRequest().getURI();
        return Blocking.call(() -> {
            authorizer.require(caller, new ArmAction("Cirrus.Placement/maintenances/write", "/"));
            if (body == null || !body.isObject()) {
                throw ArmException.badRequest("InvalidRequestContent", "The request content must be a JSON object "
                        + "{\"region\", \"cluster\", \"pause\"?}.", null);
            }
            String region = requiredString(body, "region");
            if (!REGION.matcher(region).matches()) {
                throw ArmException.invalidParameter("The region '" + region + "' is not a region name.", "region");
            }
            String cluster = requiredString(body, "cluster");
            name(cluster, "cluster");
            Duration pause = pause(body.get("pause"));
            Maintenance started = engine.startMaintenance(region, cluster, pause);
            URI location = UriComponentsBuilder.fromUri(base).replacePath("/cirrus/placement/maintenances/{id}")
                    .replaceQuery(null).build(started.getId());
            return ResponseEntity.status(HttpStatus.CREATED).location(location).body(maintenance(started));
        });
    }

    @GetMapping("/cirrus/placement/maintenances/{id}")
    Mono<Map<String, Object>> maintenance(@PathVariable String id, ServerWebExchange exchange) {
        Caller caller = caller(exchange);
        return Blocking.call(() -> {
            authorizer.require(caller, new ArmAction("Cirrus.Placement/maintenances/read", "/"));
            if (!ArmPath.isGuid(id)) {
                throw ArmException.invalidParameter("The maintenance id '" + id + "' is not a GUID.", "id");
            }
            return maintenance(engine.maintenance(id));
        });
    }

    private Mono<Map<String, Object>> inventory(String what, String region, ServerWebExchange exchange,
                                                Function<List<Host>, List<Map<String, Object>>> shape) {
        Caller caller = caller(exchange);
        return Blocking.call(() -> {
            authorizer.require(caller, new ArmAction("Cirrus.Placement/" + what + "/read", "/"));
            if (region != null && !region.isBlank() && !REGION.matcher(region.strip()).matches()) {
                throw ArmException.invalidParameter("The region '" + region + "' is not a region name.", "region");
            }
            List<Host> hosts = engine.listHosts(region == null ? "" : region.strip()).getHostsList();
            return Map.of("value", shape.apply(hosts));
        });
    }

    private HostOperationResponse operate(String verb, HostSelector selector, String notFoundCode) {
        return switch (verb) {
            case "fail" -> engine.fail(selector, notFoundCode);
            case "recover" -> engine.recover(selector, notFoundCode);
            default -> engine.drain(selector, notFoundCode);
        };
    }

    /** The verb as the action names it (authorization comes first, before the verb is checked). */
    private static String action(String verb) {
        return verb.toLowerCase(java.util.Locale.ROOT);
    }

    private static String verb(String verb) {
        return switch (verb.toLowerCase(java.util.Locale.ROOT)) {
            case "fail", "recover", "drain" -> verb.toLowerCase(java.util.Locale.ROOT);
            default -> throw ArmException.badRequest("InvalidOperation", "The operation '" + verb
                    + "' is not one of fail, recover, drain.", "operation");
        };
    }

    private static void name(String value, String target) {
        if (!NAME.matcher(value).matches()) {
            throw ArmException.invalidParameter("The " + target + " name '" + value + "' is invalid: letters, digits, "
                    + "'.', '_' and '-', at most 128.", target);
        }
    }

    private static String requiredString(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull() || (value.isString() && value.asString().isBlank())) {
            throw ArmException.invalidParameter("The property '" + field + "' is required.", field);
        }
        if (!value.isString()) {
            throw ArmException.invalidParameter("The property '" + field + "' must be a string.", field);
        }
        return value.asString().strip();
    }

    /**
     * The pause between waves: an ISO-8601 duration (PT30S, PT30M), 1 ms to 1 day; absent = the engine's default
     * ({@code cirrus.placement.maintenance.pause}, 30 min).
     */
    private static Duration pause(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        Duration pause;
        try {
            pause = value.isString() ? Duration.parse(value.asString().strip()) : null;
        } catch (DateTimeParseException e) {
            pause = null;
        }
        if (pause == null || pause.toMillis() < 1 || pause.compareTo(MAX_PAUSE) > 0) {
            throw ArmException.invalidParameter("The property 'pause' must be an ISO-8601 duration from PT0.001S to P1D "
                    + "(e.g. PT30M), got " + value + ".", "pause");
        }
        return pause;
    }

    private static Map<String, Object> host(Host h) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", h.getName());
        row.put("region", h.getRegion());
        row.put("cluster", h.getCluster());
        row.put("rack", h.getRack());
        row.put("faultDomain", h.getFaultDomain());
        row.put("state", h.getState());
        use(row, h.getVcpus(), h.getUsedVcpus(), h.getMemoryMib(), h.getUsedMemoryMib(), h.getAllocations());
        return row;
    }

    /** Racks or clusters: the sums over their hosts, in key order, with how many hosts are in each state. */
    private static List<Map<String, Object>> aggregate(List<Host> hosts, Function<Host, String> key,
                                                       java.util.function.BiConsumer<Host, Map<String, Object>> names) {
        Map<String, List<Host>> groups = new TreeMap<>();
        hosts.forEach(h -> groups.computeIfAbsent(key.apply(h), k -> new ArrayList<>()).add(h));
        List<Map<String, Object>> rows = new ArrayList<>();
        groups.values().forEach(members -> {
            Map<String, Object> row = new LinkedHashMap<>();
            names.accept(members.getFirst(), row);
            row.put("hosts", members.size());
            Map<String, Integer> states = new TreeMap<>();
            members.forEach(h -> states.merge(h.getState(), 1, Integer::sum));
            row.put("hostStates", states);
            use(row, members.stream().mapToLong(Host::getVcpus).sum(),
                    members.stream().mapToLong(Host::getUsedVcpus).sum(),
                    members.stream().mapToLong(Host::getMemoryMib).sum(),
                    members.stream().mapToLong(Host::getUsedMemoryMib).sum(),
                    members.stream().mapToLong(Host::getAllocations).sum());
            rows.add(row);
        });
        return rows;
    }

    private static void use(Map<String, Object> row, long vcpus, long usedVcpus, long memoryMib, long usedMemoryMib,
                            long allocations) {
        row.put("vcpus", vcpus);
        row.put("usedVcpus", usedVcpus);
        row.put("freeVcpus", vcpus - usedVcpus);
        row.put("memoryMib", memoryMib);
        row.put("usedMemoryMib", usedMemoryMib);
        row.put("freeMemoryMib", memoryMib - usedMemoryMib);
        row.put("allocations", allocations);
        row.put("vcpuUtilization", ratio(usedVcpus, vcpus));
        row.put("memoryUtilization", ratio(usedMemoryMib, memoryMib));
    }

    private static BigDecimal ratio(long used, long total) {
        return total == 0 ? BigDecimal.ZERO : BigDecimal.valueOf(used).divide(BigDecimal.valueOf(total), 4,
                RoundingMode.HALF_UP);
    }

    private static Map<String, Object> outcome(HostOperationResponse response) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("hosts", response.getHostsList());
        body.put("moves", response.getMovesList().stream().map(PlacementOperatorController::move).toList());
        return body;
    }

    private static Map<String, Object> allocation(Allocation a) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("vmId", a.getVmId());
        row.put("resourceId", a.getResourceId());
        row.put("region", a.getRegion());
        row.put("cluster", a.getCluster());
        row.put("rack", a.getRack());
        row.put("host", a.getHost());
        row.put("faultDomain", a.getFaultDomain());
        row.put("updateDomain", a.getUpdateDomain());
        row.put("size", a.getSize().getName());
        row.put("vcpus", a.getSize().getVcpus());
        row.put("memoryMib", a.getSize().getMemoryMib());
        row.put("groupId", a.getGroupId());
        return row;
    }

    private static Map<String, Object> move(Move m) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("vmId", m.getVmId());
        row.put("resourceId", m.getResourceId());
        row.put("fromHost", m.getFromHost());
        row.put("host", m.getAllocation().getHost());
        row.put("cluster", m.getAllocation().getCluster());
        row.put("rack", m.getAllocation().getRack());
        row.put("faultDomain", m.getAllocation().getFaultDomain());
        row.put("updateDomain", m.getAllocation().getUpdateDomain());
        row.put("stranded", m.getStranded());
        if (!m.getReason().isEmpty()) {
            row.put("reason", m.getReason());
        }
        return row;
    }

    private static Map<String, Object> maintenance(Maintenance m) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", m.getId());
        body.put("region", m.getRegion());
        body.put("cluster", m.getCluster());
        body.put("state", m.getState());
        body.put("waves", m.getWaves());
        body.put("wave", m.getWave());
        body.put("pause", Duration.ofMillis(m.getPauseMillis()).toString());
        body.put("rebootingVmIds", m.getRebootingVmIdsList());
        return body;
    }

    private static Caller caller(ServerWebExchange exchange) {
        return Caller.of(exchange).orElseThrow(() -> new IllegalStateException("the authentication filter let an "
                + "anonymous operator call through"));
    }
}
