package dev.cirrus.placement;

import java.time.Clock;

import dev.cirrus.plumbing.EnableCirrusPlumbing;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

/**
 * The placement engine: owns the datacenter inventory (regions, clusters, racks = fault domains, hosts) and the
 * allocations of VMs to hosts, and answers the gRPC {@code PlacementService} (see {@code grpc/}). Its HTTP port
 * carries only the actuator and a read-only inventory listing for operators.
 *
 * <p>Features: {@code inventory/} (the topology file, its sync into the database, the listing),
 * {@code allocation/} (the scheduler and the allocations), {@code grpc/} (the API and its server).
 */
@SpringBootApplication
@EnableCirrusPlumbing
@ConfigurationPropertiesScan
public class PlacementEngineApplication {

    public static void main(String[] args) {
        SpringApplication.run(PlacementEngineApplication.class, args);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
