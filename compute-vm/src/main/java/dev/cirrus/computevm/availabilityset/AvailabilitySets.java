package dev.cirrus.computevm.availabilityset;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import dev.cirrus.plumbing.arm.ArmException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** The availability set use cases: each a single transaction on the locked set. */
@Service
class AvailabilitySets {

    private final AvailabilitySetRepository repository;
    private final TransactionTemplate tx;

    AvailabilitySets(AvailabilitySetRepository repository, TransactionTemplate tx) {
        this.repository = repository;
        this.tx = tx;
    }

    AvailabilitySet put(String subscriptionId, String resourceGroup, String name, AvailabilitySet.Request request) {
        String key = key(subscriptionId, resourceGroup, name);
        return tx.execute(status -> {
            AvailabilitySet set = repository.findForUpdate(key).map(existing -> {
                existing.update(subscriptionId, resourceGroup, name, request);
                return existing;
            }).orElseGet(() -> AvailabilitySet.create(subscriptionId, resourceGroup, name, request));
            repository.upsert(set);
            return set;
        });
    }

    AvailabilitySet patch(String subscriptionId, String resourceGroup, String name,
                          Function<AvailabilitySet, AvailabilitySet.Request> merge) {
        String key = key(subscriptionId, resourceGroup, name);
        return tx.execute(status -> {
            AvailabilitySet set = repository.findForUpdate(key).orElseThrow(() -> notFound(resourceGroup, name));
            set.update(subscriptionId, resourceGroup, name, merge.apply(set));
            repository.upsert(set);
            return set;
        });
    }

    AvailabilitySet get(String subscriptionId, String resourceGroup, String name) {
        return repository.find(key(subscriptionId, resourceGroup, name)).orElseThrow(() -> notFound(resourceGroup, name));
    }

    /** True when the set existed and is gone, false when there was none. */
    boolean delete(String subscriptionId, String resourceGroup, String name) {
        String key = key(subscriptionId, resourceGroup, name);
        Boolean deleted = tx.execute(status -> repository.findForUpdate(key).map(set -> {
            set.checkDeletable(repository.memberIds(key).stream()
                    .map(id -> id.substring(id.lastIndexOf('/') + 1)).toList());
            repository.delete(key);
            return true;
        }).orElse(false));
        return Boolean.TRUE.equals(deleted);
    }

    List<AvailabilitySet> list(String subscriptionId, String resourceGroup, String afterKey, int limit) {
        return repository.list(subscriptionId, resourceGroup, afterKey, limit);
    }

    List<String> memberIds(String key) {
        return repository.memberIds(key);
    }

    static ArmException notFound(String resourceGroup, String name) {
        return ArmException.notFound("ResourceNotFound", "The Resource '" + AvailabilitySet.TYPE + "/" + name
                + "' under resource group '" + resourceGroup + "' was not found.");
    }

    private static String key(String subscriptionId, String resourceGroup, String name) {
        return AvailabilitySet.id(subscriptionId, resourceGroup, name).toLowerCase(Locale.ROOT);
    }
}
