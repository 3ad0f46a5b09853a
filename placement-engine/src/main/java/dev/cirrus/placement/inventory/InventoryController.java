package dev.cirrus.placement.inventory;

import java.util.List;

import dev.cirrus.contracts.arm.ArmLocations;
import dev.cirrus.plumbing.arm.ArmException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A read-only view of the inventory for operators and tests: every host with its capacity and use. The gateway
 * exposes it later under its operator API. The answer is an ARM-style list: {@code {"value":[...]}}.
 */
@RestController
class InventoryController {

    private final InventoryRepository inventory;

    InventoryController(InventoryRepository inventory) {
        this.inventory = inventory;
    }

    record HostList(List<HostUsage> value) {
    }

    @GetMapping("/inventory/hosts")
    HostList hosts(@RequestParam(required = false) String region) {
        if (region == null) {
            return new HostList(inventory.hosts());
        }
        if (region.isBlank()) {
            throw ArmException.invalidParameter("The query parameter 'region' must not be empty.", "region");
        }
        List<HostUsage> hosts = inventory.hosts(ArmLocations.normalise(region));
        if (hosts.isEmpty()) {
            throw ArmException.notFound("LocationNotFound", "There are no hosts in location '" + region + "'.");
        }
        return new HostList(hosts);
    }
}
