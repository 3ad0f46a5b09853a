package dev.cirrus.computevm.network;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

import dev.cirrus.computevm.network.NetworkRepository.PrivateIp;
import dev.cirrus.computevm.network.NetworkRepository.Stored;
import dev.cirrus.contracts.arm.Preconditions;
import dev.cirrus.contracts.arm.ResourceId;
import dev.cirrus.plumbing.arm.ArmException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The load balancer use cases, each one transaction like those of {@link Networks}: a private frontend's address is
 * handed out under the lock of its virtual network, as a NIC's is; a public frontend takes a public IP of the same
 * SKU that no NIC or other frontend uses; a NIC PUT joins the backend pools its IP configurations name, in the same
 * transaction as the NIC itself.
 */
@Service
public class LoadBalancers {

    private static final String FRONTEND_PREFIX = LoadBalancer.FRONTENDS + "/";

    private final NetworkRepository repository;
    private final BackendPoolMembers members;
    private final NetworkEvents events;
    private final Networks networks;
    private final TransactionTemplate tx;

    LoadBalancers(NetworkRepository repository, BackendPoolMembers members, NetworkEvents events, Networks networks,
                  TransactionTemplate tx) {
        this.repository = repository;
        this.members = members;
        this.events = events;
        this.networks = networks;
        this.tx = tx;
    }

    Networks.Written<LoadBalancer> put(LoadBalancer candidate, Preconditions preconditions) {
        return tx.execute(status -> {
            Optional<Stored<LoadBalancer>> existing = repository.findForUpdate(candidate.key(), LoadBalancer.class);
            preconditions.checkPut(existing.map(Stored::etag).orElse(null));
            existing.ifPresent(e -> {
                if (!e.resource().location().equals(candidate.location())) {
                    throw new ArmException(409, "PropertyChangeNotAllowed", "Changing property 'location' is not "
                            + "allowed.", "location");
                }
                if (!e.resource().sku().equals(candidate.sku())) {
                    throw new ArmException(409, "PropertyChangeNotAllowed", "Changing property 'sku.name' is not "
                            + "allowed.", "sku.name");
                }
            });
            Map<String, List<String>> inUse = poolMembers(candidate.key());
            for (Map.Entry<String, List<String>> pool : inUse.entrySet()) {
                if (candidate.pool(ResourceId.parse(pool.getKey()).orElseThrow().name()).isEmpty()) {
                    throw poolInUse(pool.getKey(), pool.getValue());
                }
            }
            // lock the networks of private frontends in key order, as a NIC PUT does
            Map<String, VirtualNetwork> vnets = new HashMap<>();
            Set<String> networkKeys = new TreeSet<>();
            candidate.frontends().stream().filter(f -> !f.isPublic())
                    .forEach(f -> networkKeys.add(networkKey(f.subnetId())));
            for (String key : networkKeys) {
                repository.findForUpdate(key, VirtualNetwork.class).ifPresent(s -> vnets.put(key, s.resource()));
            }
            Map<String, PrivateIp> previous = new HashMap<>();
            existing.ifPresent(e -> e.resource().frontends().stream().filter(f -> f.privateIpAddress() != null)
                    .forEach(f -> previous.put(f.name().toLowerCase(Locale.ROOT), new PrivateIp(
                            f.subnetId().toLowerCase(Locale.ROOT),
                            Ipv4Prefix.parseAddress(f.privateIpAddress()).orElseThrow(), candidate.key(),
                            candidate.id(), FRONTEND_PREFIX + f.name()))));
            repository.releasePrivateIps(candidate.key());
            Set<String> publicIps = new HashSet<>();
            List<LoadBalancer.Frontend> allocated = new ArrayList<>();
            for (int i = 0; i < candidate.frontends().size(); i++) {
                LoadBalancer.Frontend f = candidate.frontends().get(i);
                String target = "properties." + LoadBalancer.FRONTENDS + "[" + i + "].properties";
                String frontendId = candidate.childId(LoadBalancer.FRONTENDS, f.name());
                if (f.isPublic()) {
                    allocated.add(publicFrontend(candidate, f, frontendId, target + ".publicIPAddress.id",
                            publicIps));
                } else {
                    allocated.add(privateFrontend(candidate, f, frontendId, target, vnets, previous));
                }
            }
            LoadBalancer saved = candidate.withFrontends(allocated);
            String etag = repository.save(saved.key(), saved.subscriptionId(), saved.resourceGroup(), saved.location(),
                    saved, saved.references());
            events.written(saved.resourceId(), existing.isEmpty());
            return new Networks.Written<>(new Stored<>(saved, etag), existing.isEmpty());
        });
    }

    private LoadBalancer.Frontend publicFrontend(LoadBalancer lb, LoadBalancer.Frontend f, String frontendId,
                                                 String target, Set<String> publicIps) {
        PublicIpAddress pip = repository.find(f.publicIpAddressId().toLowerCase(Locale.ROOT), PublicIpAddress.class)
                .map(Stored::resource).orElseThrow(() -> invalidReference(f.publicIpAddressId(), frontendId, target));
        if (!pip.location().equals(lb.location())) {
            throw ArmException.badRequest("InvalidResourceReference", "Resource " + pip.id() + " referenced by "
                    + "resource " + frontendId + " is in region " + pip.location() + ", not in " + lb.location()
                    + ": both resources must be in the same region.", target);
        }
        if (!pip.sku().equals(lb.sku())) {
            throw ArmException.badRequest("PublicIPAndLBSkuDoNotMatch", lb.sku() + " sku load balancer " + lb.id()
                    + " cannot reference " + pip.sku() + " sku publicIP " + pip.id() + ".", target);
        }
        List<String> users = new ArrayList<>(repository.referrers(NetworkInterface.class, pip.key()).stream()
                .map(NetworkInterface::id).toList());
        repository.referrers(LoadBalancer.class, pip.key()).stream().filter(other -> !other.key().equals(lb.key()))
                .forEach(other -> users.add(other.id()));
        if (!users.isEmpty() || !publicIps.add(pip.key())) {
            throw ArmException.badRequest("PublicIPAddressInUse", "Public IP address " + pip.id() + " is already "
                    + "associated with " + (users.isEmpty() ? "another frontend of " + lb.id() : users.getFirst())
                    + "; a public IP address can be associated with one IP configuration only.", target);
        }
        return new LoadBalancer.Frontend(f.name(), pip.id(), null, null, null);
    }

    private LoadBalancer.Frontend privateFrontend(LoadBalancer lb, LoadBalancer.Frontend f, String frontendId,
                                                  String target, Map<String, VirtualNetwork> vnets,
                                                  Map<String, PrivateIp> previous) {
        String subnetTarget = target + ".subnet.id";
        VirtualNetwork network = vnets.get(networkKey(f.subnetId()));
        String subnetName = ResourceId.parse(f.subnetId()).orElseThrow().name();
        VirtualNetwork.Subnet subnet = network == null ? null : network.subnet(subnetName).orElse(null);
        if (subnet == null) {
            throw invalidReference(f.subnetId(), frontendId, subnetTarget);
        }
        if (!network.location().equals(lb.location())) {
            throw ArmException.badRequest("InvalidResourceReference", "Resource " + network.subnetId(subnet)
                    + " referenced by resource " + frontendId + " is in region " + network.location() + ", not in "
                    + lb.location() + ": both resources must be in the same region.", subnetTarget);
        }
        String subnetKey = network.subnetKey(subnet.name());
        Set<Long> taken = repository.takenAddresses(subnetKey);
        long address;
        if (f.privateIpAllocationMethod().equals("Static")) {
            address = Ipv4Prefix.parseAddress(f.privateIpAddress()).orElseThrow();
            SubnetAddresses.checkStatic(network.subnetId(subnet), subnet.prefix(), address, taken,
                    target + ".privateIPAddress");
        } else {
            PrivateIp before = previous.get(f.name().toLowerCase(Locale.ROOT));
            if (before != null && before.subnetKey().equals(subnetKey) && !taken.contains(before.address())) {
                address = before.address();
            } else {
                address = SubnetAddresses.lowestFree(subnet.prefix(), taken).orElseThrow(() ->
                        ArmException.badRequest("SubnetIsFull", "Subnet " + subnet.name() + " with address prefix "
                                + subnet.addressPrefix() + " does not have enough capacity for 1 IP address.",
                                subnetTarget));
            }
        }
        repository.holdPrivateIp(new PrivateIp(subnetKey, address, lb.key(), lb.id(), FRONTEND_PREFIX + f.name()));
        return new LoadBalancer.Frontend(f.name(), null, network.subnetId(subnet), f.privateIpAllocationMethod(),
                Ipv4Prefix.format(address));
    }

    Networks.Written<LoadBalancer> patch(ResourceId id, Preconditions preconditions,
                                         UnaryOperator<LoadBalancer> change) {
        return tx.execute(status -> {
            Stored<LoadBalancer> existing = repository.findForUpdate(id.key(), LoadBalancer.class)
                    .orElseThrow(() -> Networks.notFound(id));
            preconditions.checkExisting(existing.etag());
            LoadBalancer next = change.apply(existing.resource());
            String etag = repository.save(next.key(), next.subscriptionId(), next.resourceGroup(), next.location(), next,
                    next.references());
            events.written(id, false);
            return new Networks.Written<>(new Stored<>(next, etag), false);
        });
    }

    Stored<LoadBalancer> get(ResourceId id) {
        return repository.find(id.key(), LoadBalancer.class).orElseThrow(() -> Networks.notFound(id));
    }

    boolean delete(ResourceId id, Preconditions preconditions) {
        return Boolean.TRUE.equals(tx.execute(status -> repository.findForUpdate(id.key(), LoadBalancer.class)
                .map(existing -> {
                    preconditions.checkDelete(existing.etag());
                    Map<String, List<String>> inUse = poolMembers(id.key());
                    if (!inUse.isEmpty()) {
                        Map.Entry<String, List<String>> first = inUse.entrySet().iterator().next();
                        throw poolInUse(first.getKey(), first.getValue());
                    }
                    repository.releasePrivateIps(id.key());
                    repository.delete(id.key());
                    events.deleted(id);
                    return true;
                }).orElse(false)));
    }

    /** Pool id → the ids of the NIC IP configurations in it. */
    Map<String, List<String>> poolMembers(String lbKey) {
        Map<String, List<String>> pools = new java.util.LinkedHashMap<>();
        members.ofLoadBalancer(lbKey).forEach(m -> pools.computeIfAbsent(m.poolId(), k -> new ArrayList<>())
                .add(m.ipConfigurationId()));
        return pools;
    }

    /** Lower-cased NIC IP configuration id → the pools it is in. */
    Map<String, List<String>> poolsOfInterface(String nicKey) {
        return members.ofInterface(nicKey);
    }

    private static ArmException poolInUse(String poolId, List<String> configurations) {
        return ArmException.badRequest("InUseBackendAddressPoolCannotBeDeleted", "Backend address pool " + poolId
                + " is in use by " + String.join(", ", configurations) + " and cannot be deleted. In order to delete "
                + "the backend address pool, remove it from the IP configurations of those network interfaces.", null);
    }

    // ---------------------------------------------------------------- NICs joining pools

    /**
     * A NIC PUT ({@link Networks#putInterface}) and the backend pools its IP configurations join, one transaction:
     * {@code pools} maps lower-cased IP configuration names to pool ids
     * ({@link LoadBalancerRequests#backendPoolReferences}); a pool that does not exist, or whose load balancer is in
     * another region, refuses the whole PUT.
     */
    Networks.Written<NetworkInterface> putInterface(NetworkInterface candidate, Map<String, List<String>> pools,
                                                    Preconditions preconditions) {
        return tx.execute(status -> {
            Networks.Written<NetworkInterface> written = networks.putInterface(candidate, preconditions);
            NetworkInterface nic = written.stored().resource();
            List<BackendPoolMembers.Member> joined = new ArrayList<>();
            for (int i = 0; i < nic.ipConfigurations().size(); i++) {
                NetworkInterface.IpConfiguration c = nic.ipConfigurations().get(i);
                List<String> ids = pools.getOrDefault(c.name().toLowerCase(Locale.ROOT), List.of());
                String configurationId = nic.id() + "/ipConfigurations/" + c.name();
                for (int j = 0; j < ids.size(); j++) {
                    String target = "properties.ipConfigurations[" + i + "].properties.loadBalancerBackendAddressPools["
                            + j + "].id";
                    ResourceId poolId = ResourceId.parse(ids.get(j)).orElseThrow();
                    ResourceId lbId = poolId.parent().orElseThrow();
                    LoadBalancer lb = repository.findForUpdate(lbId.key(), LoadBalancer.class).map(Stored::resource)
                            .orElse(null);
                    LoadBalancer.BackendPool pool = lb == null ? null : lb.pool(poolId.name()).orElse(null);
                    if (pool == null || !lb.location().equals(nic.location())) {
                        throw invalidReference(ids.get(j), configurationId, target);
                    }
                    joined.add(new BackendPoolMembers.Member(lb.childId(LoadBalancer.POOLS, pool.name()),
                            configurationId));
                }
            }
            members.replace(nic.key(), joined);
            return written;
        });
    }

    private static String networkKey(String subnetId) {
        return ResourceId.parse(subnetId).flatMap(ResourceId::parent).orElseThrow().key();
    }

    private static ArmException invalidReference(String id, String referrer, String target) {
        return ArmException.badRequest("InvalidResourceReference", "Resource " + id + " referenced by resource "
                + referrer + " was not found. Please make sure that the referenced resource exists, and that both "
                + "resources are in the same region.", target);
    }
}
