package dev.cirrus.placement.inventory;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Syncs the inventory file into the database at start-up, after the migrations and before the gRPC server and the
 * HTTP port open (both start with the context's lifecycle, which begins after every singleton is ready).
 */
@Component
class InventorySynchronizer implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(InventorySynchronizer.class);

    private final Topology topology;
    private final InventoryRepository inventory;
    private final TransactionTemplate tx;
    private final Clock clock;

    InventorySynchronizer(Topology topology, InventoryRepository inventory, TransactionTemplate tx, Clock clock) {
        this.topology = topology;
        this.inventory = inventory;
        this.tx = tx;
        this.clock = clock;
    }

    @Override
    public void afterSingletonsInstantiated() {
        InventoryRepository.SyncResult result = tx.execute(s -> inventory.sync(topology, clock.instant()));
        log.info("inventory synced: {} hosts in {} regions {}; {} hosts no longer listed were retired",
                result.hosts(), result.regions(), topology.regions(), result.retired());
    }
}
