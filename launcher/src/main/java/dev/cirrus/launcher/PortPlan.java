package dev.cirrus.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which TCP port each part of the local platform listens on.
 *
 * <p>Three ways to get one: {@link #defaults()} (the platform-wide convention: gateway 8080 and its HTTPS listener
 * 8443, services 8081–8086, placement gRPC 9090, Kafka 9092 and its KRaft controller 9093, PostgreSQL 5432),
 * {@link #offsetBy(int)} (all of them moved by the same amount, so two platforms can run side by side), and
 * {@link #freePorts()} (any free ports, for tests). Single ports can be changed with {@link #with(String, int)},
 * naming them as {@link #names()} does. Every port the platform binds is here, so {@link #busy()} checks them all
 * before anything starts.
 */
public record PortPlan(Map<ServiceModule, Integer> http, int gatewayHttps, int placementGrpc, int kafka,
                       int kafkaController, int postgres) {

    public static final String GATEWAY_HTTPS = "gateway-https";
    public static final String PLACEMENT_GRPC = "placement-grpc";
    public static final String KAFKA = "kafka";
    public static final String KAFKA_CONTROLLER = "kafka-controller";
    public static final String POSTGRES = "postgres";

    public static final int DEFAULT_GATEWAY_HTTPS_PORT = 8443;
    public static final int DEFAULT_KAFKA_PORT = 9092;
    public static final int DEFAULT_KAFKA_CONTROLLER_PORT = 9093;
    public static final int DEFAULT_POSTGRES_PORT = 5432;
    private static final int NON_HTTP_PORTS = 5;

    public PortPlan {
        EnumMap<ServiceModule, Integer> copy = new EnumMap<>(ServiceModule.class);
        copy.putAll(http);
        for (ServiceModule m : ServiceModule.values()) {
            if (!copy.containsKey(m)) {
                throw new IllegalArgumentException("no port for " + m);
            }
        }
        http = Collections.unmodifiableMap(copy);
        PortPlan.check(named(http, gatewayHttps, placementGrpc, kafka, kafkaController, postgres));
    }

    public static PortPlan defaults() {
        Map<ServiceModule, Integer> http = new EnumMap<>(ServiceModule.class);
        for (ServiceModule m : ServiceModule.values()) {
            http.put(m, m.defaultPort());
        }
        return new PortPlan(http, DEFAULT_GATEWAY_HTTPS_PORT, ServiceModule.PLACEMENT_GRPC_PORT, DEFAULT_KAFKA_PORT,
                DEFAULT_KAFKA_CONTROLLER_PORT, DEFAULT_POSTGRES_PORT);
    }

    /** Every port moved by {@code offset}, e.g. 1000 gives gateway 9080 and 9443, Kafka 10092, PostgreSQL 6432. */
    public PortPlan offsetBy(int offset) {
        Map<ServiceModule, Integer> moved = new EnumMap<>(ServiceModule.class);
        http.forEach((m, p) -> moved.put(m, p + offset));
        return new PortPlan(moved, gatewayHttps + offset, placementGrpc + offset, kafka + offset,
                kafkaController + offset, postgres + offset);
    }

    /**
     * Ports the operating system reports free right now, all different. Another process could take one before the
     * platform binds it; tests accept that small race.
     */
    public static PortPlan freePorts() {
        int count = ServiceModule.values().length + NON_HTTP_PORTS;
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                ServerSocket s = new ServerSocket();
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(0));
                held.add(s);
            }
            Map<ServiceModule, Integer> http = new EnumMap<>(ServiceModule.class);
            int i = 0;
            for (ServiceModule m : ServiceModule.values()) {
                http.put(m, held.get(i++).getLocalPort());
            }
            return new PortPlan(http, held.get(i++).getLocalPort(), held.get(i++).getLocalPort(),
                    held.get(i++).getLocalPort(), held.get(i++).getLocalPort(), held.get(i).getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException("could not find free ports", e);
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing a probe socket cannot fail in a way that matters
                }
            }
        }
    }

    /**
     * This plan with one port changed; {@code name} is a service module name, gateway-https, placement-grpc, kafka,
     * kafka-controller or postgres.
     */
    public PortPlan with(String name, int port) {
        return switch (name) {
            case GATEWAY_HTTPS -> new PortPlan(http, port, placementGrpc, kafka, kafkaController, postgres);
            case PLACEMENT_GRPC -> new PortPlan(http, gatewayHttps, port, kafka, kafkaController, postgres);
            case KAFKA -> new PortPlan(http, gatewayHttps, placementGrpc, port, kafkaController, postgres);
            case KAFKA_CONTROLLER -> new PortPlan(http, gatewayHttps, placementGrpc, kafka, port, postgres);
            case POSTGRES -> new PortPlan(http, gatewayHttps, placementGrpc, kafka, kafkaController, port);
            default -> {
                Map<ServiceModule, Integer> changed = new EnumMap<>(http);
                changed.put(ServiceModule.ofModuleName(name), port);
                yield new PortPlan(changed, gatewayHttps, placementGrpc, kafka, kafkaController, postgres);
            }
        };
    }

    public int http(ServiceModule module) {
        return http.get(module);
    }

    /**
     * Every port by its name: the services in start order, then gateway-https, placement-grpc, kafka,
     * kafka-controller, postgres.
     */
    public Map<String, Integer> names() {
        return named(http, gatewayHttps, placementGrpc, kafka, kafkaController, postgres);
    }

    /** The names of the ports that something on this machine already listens on. */
    public List<String> busy() {
        List<String> busy = new ArrayList<>();
        names().forEach((name, port) -> {
            if (!isFree(port)) {
                busy.add(name + " " + port);
            }
        });
        return busy;
    }

    static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Map<String, Integer> named(Map<ServiceModule, Integer> http, int https, int grpc, int kafka,
                                              int controller, int postgres) {
        Map<String, Integer> all = new LinkedHashMap<>();
        for (ServiceModule m : ServiceModule.values()) {
            all.put(m.moduleName(), http.get(m));
        }
        all.put(GATEWAY_HTTPS, https);
        all.put(PLACEMENT_GRPC, grpc);
        all.put(KAFKA, kafka);
        all.put(KAFKA_CONTROLLER, controller);
        all.put(POSTGRES, postgres);
        return all;
    }

    private static void check(Map<String, Integer> ports) {
        Map<Integer, String> seen = new HashMap<>();
        ports.forEach((name, port) -> {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port of " + name + " out of range: " + port);
            }
            String other = seen.putIfAbsent(port, name);
            if (other != null) {
                throw new IllegalArgumentException(other + " and " + name + " would both use port " + port);
            }
        });
    }
}
