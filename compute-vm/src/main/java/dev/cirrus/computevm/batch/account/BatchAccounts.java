package dev.cirrus.computevm.batch.account;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import dev.cirrus.computevm.batch.service.BatchRuntime;
import dev.cirrus.plumbing.arm.ArmException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** The account use cases, each one transaction on the locked account. */
@Service
class BatchAccounts {

    /** One PUT body (or a PATCH merged onto the stored account), validated. */
    record Request(String location, Map<String, String> tags, BatchAccount.Settings settings) {
    }

    private final BatchAccountRepository repository;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final BatchRuntime runtime;

    BatchAccounts(BatchAccountRepository repository, TransactionTemplate tx, Clock clock, BatchRuntime runtime) {
        this.repository = repository;
        this.tx = tx;
        this.clock = clock;
        this.runtime = runtime;
    }

    /** The account and whether this call created it. */
    record Written(BatchAccount account, boolean created) {
    }

    Written put(String subscriptionId, String resourceGroup, String name, Request request) {
        String key = BatchAccount.id(subscriptionId, resourceGroup, name).toLowerCase(Locale.ROOT);
        return tx.execute(status -> {
            var existing = repository.findForUpdate(key);
            BatchAccount account;
            if (existing.isPresent()) {
                account = existing.get();
                account.update(subscriptionId, resourceGroup, name, request.location(), request.tags(), request.settings());
            } else {
                account = BatchAccount.create(subscriptionId, resourceGroup, name, request.location(), request.tags(),
                        request.settings(), clock.instant());
                if (repository.endpointTaken(account.endpointKey(), key)) {
                    throw new ArmException(409, "AccountNameAlreadyExists", "An account named '" + name
                            + "' already exists in region '" + request.location() + "': account names are unique "
                            + "within a region (they name the endpoint).", "name");
                }
            }
            repository.upsert(account);
            return new Written(account, existing.isEmpty());
        });
    }

    BatchAccount patch(String subscriptionId, String resourceGroup, String name, Function<BatchAccount, Request> merge) {
        String key = BatchAccount.id(subscriptionId, resourceGroup, name).toLowerCase(Locale.ROOT);
        return tx.execute(status -> {
            BatchAccount account = repository.findForUpdate(key).orElseThrow(() -> notFound(resourceGroup, name));
            Request r = merge.apply(account);
            account.update(subscriptionId, resourceGroup, name, r.location(), r.tags(), r.settings());
            repository.upsert(account);
            return account;
        });
    }

    BatchAccount get(String subscriptionId, String resourceGroup, String name) {
        return repository.find(BatchAccount.id(subscriptionId, resourceGroup, name).toLowerCase(Locale.ROOT))
                .orElseThrow(() -> notFound(resourceGroup, name));
    }

    BatchAccount regenerate(String subscriptionId, String resourceGroup, String name, String keyName) {
        String key = BatchAccount.id(subscriptionId, resourceGroup, name).toLowerCase(Locale.ROOT);
        return tx.execute(status -> {
            BatchAccount account = repository.findForUpdate(key).orElseThrow(() -> notFound(resourceGroup, name));
            account.regenerate(keyName);
            repository.upsert(account);
            return account;
        });
    }

    /**
     * True when the account existed and is gone (its pools' nodes released, their processes killed, then its rows
     * removed with everything under them), false when there was none.
     */
    boolean delete(String subscriptionId, String resourceGroup, String name) {
        String key = BatchAccount.id(subscriptionId, resourceGroup, name).toLowerCase(Locale.ROOT);
        if (repository.find(key).isEmpty()) {
            return false;
        }
        return runtime.deleteAccount(key, () -> Boolean.TRUE.equals(tx.execute(status -> repository.findForUpdate(key)
                .map(a -> {
                    repository.delete(key);
                    return true;
                }).orElse(false))));
    }

    List<BatchAccount> list(String subscriptionId, String resourceGroup, String afterKey, int limit) {
        return repository.list(subscriptionId, resourceGroup, afterKey, limit);
    }

    static ArmException notFound(String resourceGroup, String name) {
        return ArmException.notFound("ResourceNotFound", "The Resource '" + BatchAccount.TYPE + "/" + name
                + "' under resource group '" + resourceGroup + "' was not found.");
    }
}
