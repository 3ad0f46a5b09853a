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
 * The Microsoft.Network use cases, each one transaction: load (locked) → decide → save. Private addresses are
 * handed out under the lock of the subnet's virtual network, so two NICs never get the same one (and the primary
 * key of {@code network_private_ips} would refuse it anyway).
 */
@Service
public class Networks {

    /** The outcome of a PUT: the stored version and whether it was created. */
    public record Written<T>(Stored<T> stored, boolean created) {
    }

    private final NetworkRepository repository;
    private final NetworkEvents events;
    private final TransactionTemplate tx;
    private final NetworkProperties properties;

    Networks(NetworkRepository repository, NetworkEvents events, TransactionTemplate tx, NetworkProperties properties) {
        this.repository = repository;
        this.events = events;
        this.tx = tx;
        this.properties = properties;
    }

    // ---------------------------------------------------------------- virtual networks and subnets

    Written<VirtualNetwork> putNetwork(VirtualNetwork candidate, Preconditions preconditions) {
        return tx.execute(status -> {
            Optional<Stored<VirtualNetwork>> existing = repository.findForUpdate(candidate.key(), VirtualNetwork.class);
            preconditions.checkPut(existing.map(Stored::etag).orElse(null));
            existing.ifPresent(e -> checkSameLocation(e.resource().location(), candidate.location()));
            candidate.check(VirtualNetwork.SubnetTarget.INLINE);
            for (int i = 0; i < candidate.subnets().size(); i++) {
                checkSubnetNsg(candidate, candidate.subnets().get(i), "properties.subnets[" + i
                        + "].properties.networkSecurityGroup.id");
            }
            existing.ifPresent(e -> {
                for (VirtualNetwork.Subnet old : e.resource().subnets()) {
                    Optional<VirtualNetwork.Subnet> next = candidate.subnet(old.name());
                    if (next.isEmpty()) {
                        checkSubnetUnused(e.resource(), old, "InUseSubnetCannotBeDeleted");
                    } else if (!next.get().prefix().equals(old.prefix())) {
                        checkSubnetUnused(e.resource(), old, "InUseSubnetCannotBeUpdated");
                    }
                }
            });
            return saveNetwork(candidate, existing.isEmpty());
        });
    }

    Written<VirtualNetwork> patchNetwork(ResourceId id, Preconditions preconditions,
                                         UnaryOperator<VirtualNetwork> change) {
        return tx.execute(status -> {
            Stored<VirtualNetwork> existing = repository.findForUpdate(id.key(), VirtualNetwork.class)
                    .orElseThrow(() -> notFound(id));
            preconditions.checkExisting(existing.etag());
            return saveNetwork(change.apply(existing.resource()), false);
        });
    }

    private Written<VirtualNetwork> saveNetwork(VirtualNetwork network, boolean created) {
        List<String> refs = network.subnets().stream().map(VirtualNetwork.Subnet::networkSecurityGroupId)
                .filter(java.util.Objects::nonNull).map(s -> s.toLowerCase(Locale.ROOT)).distinct().toList();
        String etag = repository.save(network.key(), network.subscriptionId(), network.resourceGroup(),
                network.location(), network, refs);
        events.written(network.resourceId(), created);
        return new Written<>(new Stored<>(network, etag), created);
    }

    Stored<VirtualNetwork> network(ResourceId id) {
        return repository.find(id.key(), VirtualNetwork.class).orElseThrow(() -> notFound(id));
    }

    boolean deleteNetwork(ResourceId id, Preconditions preconditions) {
        return Boolean.TRUE.equals(tx.execute(status -> repository.findForUpdate(id.key(), VirtualNetwork.class)
                .map(existing -> {
                    preconditions.checkDelete(existing.etag());
                    List<String> nics = repository.nicsInNetwork(id.key());
                    if (!nics.isEmpty()) {
                        throw ArmException.badRequest("InUseSubnetCannotBeDeleted", "Subnets of virtual network '"
                                + id.name() + "' are in use by " + String.join(", ", nics) + " and cannot be deleted. "
                                + "In order to delete the subnet, delete all the resources within the subnet.", null);
                    }
                    repository.delete(id.key());
                    events.deleted(id);
                    return true;
                }).orElse(false)));
    }

    Written<VirtualNetwork> putSubnet(ResourceId networkId, VirtualNetwork.Subnet subnet, Preconditions preconditions) {
        return tx.execute(status -> {
            VirtualNetwork network = repository.findForUpdate(networkId.key(), VirtualNetwork.class)
                    .orElseThrow(() -> notFound(networkId)).resource();
            Optional<VirtualNetwork.Subnet> old = network.subnet(subnet.name());
            preconditions.checkPut(old.map(s -> subnetEtag(network, s)).orElse(null));
            VirtualNetwork.Subnet named = new VirtualNetwork.Subnet(old.map(VirtualNetwork.Subnet::name)
                    .orElse(subnet.name()), subnet.addressPrefix(), subnet.networkSecurityGroupId());
            VirtualNetwork next = network.withSubnet(named);
            next.check(VirtualNetwork.SubnetTarget.child(subnet.name(), next.subnets()));
            checkSubnetNsg(next, named, "properties.networkSecurityGroup.id");
            if (old.isPresent() && !old.get().prefix().equals(named.prefix())) {
                checkSubnetUnused(network, old.get(), "InUseSubnetCannotBeUpdated");
            }
            return saveNetwork(next, old.isEmpty());
        });
    }

    boolean deleteSubnet(ResourceId networkId, String subnetName) {
        return Boolean.TRUE.equals(tx.execute(status -> {
            Optional<Stored<VirtualNetwork>> network = repository.findForUpdate(networkId.key(), VirtualNetwork.class);
            if (network.isEmpty() || network.get().resource().subnet(subnetName).isEmpty()) {
                return false;
            }
            VirtualNetwork vnet = network.get().resource();
            checkSubnetUnused(vnet, vnet.subnet(subnetName).orElseThrow(), "InUseSubnetCannotBeDeleted");
            saveNetwork(vnet.withoutSubnet(subnetName), false);
            return true;
        }));
    }

    /** A subnet's ETag: the network's version does not tell sibling subnets apart, so derive one per content. */
    static String subnetEtag(VirtualNetwork network, VirtualNetwork.Subnet subnet) {
        return "W/\"" + java.util.UUID.nameUUIDFromBytes((network.key() + "|" + subnet).getBytes(
                java.nio.charset.StandardCharsets.UTF_8)) + "\"";
    }

    private void checkSubnetUnused(VirtualNetwork network, VirtualNetwork.Subnet subnet, String code) {
        List<PrivateIp> held = repository.privateIpsOfSubnet(network.subnetKey(subnet.name()));
        if (!held.isEmpty()) {
            String users = String.join(", ", held.stream()
                    .map(PrivateIp::configurationId).distinct().toList());
            String verb = code.equals("InUseSubnetCannotBeDeleted") ? "deleted" : "updated";
            throw ArmException.badRequest(code, "Subnet " + subnet.name() + " is in use by " + users + " and cannot be "
                    + verb + ". In order to " + (verb.equals("deleted") ? "delete" : "update")
                    + " the subnet, delete all the resources within the subnet.", null);
        }
    }

    private void checkSubnetNsg(VirtualNetwork network, VirtualNetwork.Subnet subnet, String target) {
        if (subnet.networkSecurityGroupId() != null) {
            NetworkSecurityGroup nsg = referenced(subnet.networkSecurityGroupId(), NetworkSecurityGroup.class,
                    network.id(), target);
            checkReferenceLocation(nsg.location(), network.location(), nsg.id(), network.id(), target);
        }
    }

    // ---------------------------------------------------------------- network interfaces

    Written<NetworkInterface> putInterface(NetworkInterface candidate, Preconditions preconditions) {
        return tx.execute(status -> {
            Optional<Stored<NetworkInterface>> existing = repository.findForUpdate(candidate.key(),
                    NetworkInterface.class);
            preconditions.checkPut(existing.map(Stored::etag).orElse(null));
            existing.ifPresent(e -> checkSameLocation(e.resource().location(), candidate.location()));
            NetworkInterface nic = existing.map(e -> candidate.attachedTo(e.resource().virtualMachineId(),
                    e.resource().macAddress())).orElse(candidate);
            if (nic.networkSecurityGroupId() != null) {
                NetworkSecurityGroup nsg = referenced(nic.networkSecurityGroupId(), NetworkSecurityGroup.class, nic.id(),
                        "properties.networkSecurityGroup.id");
                checkReferenceLocation(nsg.location(), nic.location(), nsg.id(), nic.id(),
                        "properties.networkSecurityGroup.id");
            }
            // lock the networks in key order, so two NICs in the same networks cannot deadlock
            Map<String, VirtualNetwork> networks = new HashMap<>();
            Set<String> networkKeys = new TreeSet<>();
            for (NetworkInterface.IpConfiguration c : nic.ipConfigurations()) {
                networkKeys.add(subnetNetworkKey(c.subnetId()));
            }
            for (String key : networkKeys) {
                repository.findForUpdate(key, VirtualNetwork.class).ifPresent(s -> networks.put(key, s.resource()));
            }
            Map<String, PrivateIp> previous = new HashMap<>();
            existing.ifPresent(e -> e.resource().ipConfigurations().forEach(c -> {
                if (c.privateIpAddress() != null) {
                    previous.put(c.name().toLowerCase(Locale.ROOT), new PrivateIp(c.subnetKey(),
                            Ipv4Prefix.parseAddress(c.privateIpAddress()).orElseThrow(), nic.key(), nic.id(), c.name()));
                }
            }));
            repository.releasePrivateIps(nic.key());
            Set<String> publicIps = new HashSet<>();
            List<NetworkInterface.IpConfiguration> allocated = new ArrayList<>();
            for (int i = 0; i < nic.ipConfigurations().size(); i++) {
                NetworkInterface.IpConfiguration c = nic.ipConfigurations().get(i);
                String target = "properties.ipConfigurations[" + i + "]";
                VirtualNetwork network = networks.get(subnetNetworkKey(c.subnetId()));
                String subnetName = ResourceId.parse(c.subnetId()).orElseThrow().name();
                VirtualNetwork.Subnet subnet = network == null ? null : network.subnet(subnetName).orElse(null);
                if (subnet == null) {
                    throw invalidReference(c.subnetId(), nic.id(), target + ".properties.subnet.id");
                }
                checkReferenceLocation(network.location(), nic.location(), network.subnetId(subnet), nic.id(),
                        target + ".properties.subnet.id");
                String subnetKey = network.subnetKey(subnet.name());
                Set<Long> taken = repository.takenAddresses(subnetKey);
                long address;
                if (c.privateIpAllocationMethod().equals("Static")) {
                    address = Ipv4Prefix.parseAddress(c.privateIpAddress()).orElseThrow();
                    SubnetAddresses.checkStatic(network.subnetId(subnet), subnet.prefix(), address, taken,
                            target + ".properties.privateIPAddress");
                } else {
                    PrivateIp before = previous.get(c.name().toLowerCase(Locale.ROOT));
                    if (before != null && before.subnetKey().equals(subnetKey) && !taken.contains(before.address())) {
                        address = before.address();
                    } else {
                        address = SubnetAddresses.lowestFree(subnet.prefix(), taken).orElseThrow(() ->
                                ArmException.badRequest("SubnetIsFull", "Subnet " + subnet.name() + " with address "
                                        + "prefix " + subnet.addressPrefix() + " does not have enough capacity for 1 IP "
                                        + "address.", target + ".properties.subnet.id"));
                    }
                }
                repository.holdPrivateIp(new PrivateIp(subnetKey, address, nic.key(), nic.id(), c.name()));
                String subnetId = network.subnetId(subnet);
                if (c.publicIpAddressId() != null) {
                    String pipTarget = target + ".properties.publicIPAddress.id";
                    PublicIpAddress pip = referenced(c.publicIpAddressId(), PublicIpAddress.class, nic.id(), pipTarget);
                    checkReferenceLocation(pip.location(), nic.location(), pip.id(), nic.id(), pipTarget);
                    boolean elsewhere = repository.referrers(NetworkInterface.class, pip.key()).stream()
                            .anyMatch(other -> !other.key().equals(nic.key()))
                            || !repository.referrers(LoadBalancer.class, pip.key()).isEmpty();
                    if (elsewhere || !publicIps.add(pip.key())) {
                        throw ArmException.badRequest("PublicIPAddressInUse", "Public IP address " + pip.id()
                                + " is already associated with another IP configuration; a public IP address can be "
                                + "associated with one IP configuration only.", pipTarget);
                    }
                }
                allocated.add(new NetworkInterface.IpConfiguration(c.name(), subnetId, c.privateIpAllocationMethod(),
                        Ipv4Prefix.format(address), c.primary(), c.publicIpAddressId()));
            }
            NetworkInterface saved = nic.withIpConfigurations(allocated);
            String etag = repository.save(saved.key(), saved.subscriptionId(), saved.resourceGroup(), saved.location(),
                    saved, saved.references());
            events.written(saved.resourceId(), existing.isEmpty());
            return new Written<>(new Stored<>(saved, etag), existing.isEmpty());
        });
    }

    Written<NetworkInterface> patchInterface(ResourceId id, Preconditions preconditions,
                                             UnaryOperator<NetworkInterface> change) {
        return tx.execute(status -> {
            Stored<NetworkInterface> existing = repository.findForUpdate(id.key(), NetworkInterface.class)
                    .orElseThrow(() -> notFound(id));
            preconditions.checkExisting(existing.etag());
            NetworkInterface next = change.apply(existing.resource());
            String etag = repository.save(next.key(), next.subscriptionId(), next.resourceGroup(), next.location(), next,
                    next.references());
            events.written(id, false);
            return new Written<>(new Stored<>(next, etag), false);
        });
    }

    boolean attachedAsPrimary(NetworkInterface nic) {
        return repository.attachedAsPrimary(nic.key());
    }

    Stored<NetworkInterface> networkInterface(ResourceId id) {
        return repository.find(id.key(), NetworkInterface.class).orElseThrow(() -> notFound(id));
    }

    boolean deleteInterface(ResourceId id, Preconditions preconditions) {
        return Boolean.TRUE.equals(tx.execute(status -> repository.findForUpdate(id.key(), NetworkInterface.class)
                .map(existing -> {
                    preconditions.checkDelete(existing.etag());
                    if (existing.resource().virtualMachineId() != null) {
                        throw ArmException.badRequest("NicInUse", "Network Interface " + existing.resource().id()
                                + " is used by existing resource " + existing.resource().virtualMachineId()
                                + ". In order to delete the network interface, it must be dissociated from the "
                                + "resource.", null);
                    }
                    repository.releasePrivateIps(id.key());
                    repository.delete(id.key());
                    events.deleted(id);
                    return true;
                }).orElse(false)));
    }

    private static String subnetNetworkKey(String subnetId) {
        return ResourceId.parse(subnetId).flatMap(ResourceId::parent).orElseThrow().key();
    }

    // ---------------------------------------------------------------- public IP addresses

    Written<PublicIpAddress> putPublicIp(PublicIpAddress candidate, Preconditions preconditions) {
        return tx.execute(status -> {
            Optional<Stored<PublicIpAddress>> existing = repository.findForUpdate(candidate.key(), PublicIpAddress.class);
            preconditions.checkPut(existing.map(Stored::etag).orElse(null));
            existing.ifPresent(e -> {
                checkSameLocation(e.resource().location(), candidate.location());
                if (!e.resource().sku().equals(candidate.sku())) {
                    throw new ArmException(409, "PropertyChangeNotAllowed", "Changing property 'sku.name' is not "
                            + "allowed.", "sku.name");
                }
            });
            PublicIpAddress pip = candidate;
            String held = existing.map(e -> e.resource().ipAddress()).orElse(null);
            if (pip.allocationMethod().equals("Static")) {
                if (held == null) {
                    repository.lockPool();
                    Ipv4Prefix pool = properties.pool();
                    Set<Long> taken = repository.takenPublicAddresses();
                    long address = -1;
                    for (long a = pool.base() + 1; a < pool.last(); a++) {
                        if (!taken.contains(a)) {
                            address = a;
                            break;
                        }
                    }
                    if (address < 0) {
                        throw ArmException.badRequest("PublicIPCountLimitReached", "No public IP address is left in "
                                + "the pool " + pool + " of this Cirrus.", null);
                    }
                    repository.holdPublicAddress(address, pip.key());
                    held = Ipv4Prefix.format(address);
                }
                pip = pip.withAddress(held);
            } else {
                repository.releasePublicAddress(pip.key());
                pip = pip.withAddress(null);
            }
            if (pip.domainNameLabel() != null) {
                Optional<String> holder = repository.dnsLabelHolder(pip.location(), pip.domainNameLabel());
                if (holder.isPresent() && !holder.get().equals(pip.key())) {
                    throw ArmException.badRequest("DnsRecordInUse", "DNS record " + fqdn(pip) + " is already used "
                            + "by another public IP.", "properties.dnsSettings.domainNameLabel");
                }
            }
            repository.setDnsLabel(pip.key(), pip.location(), pip.domainNameLabel());
            String etag = repository.save(pip.key(), pip.subscriptionId(), pip.resourceGroup(), pip.location(), pip,
                    List.of());
            events.written(pip.resourceId(), existing.isEmpty());
            return new Written<>(new Stored<>(pip, etag), existing.isEmpty());
        });
    }

    String fqdn(PublicIpAddress pip) {
        return pip.domainNameLabel() == null ? null
                : pip.domainNameLabel().toLowerCase(Locale.ROOT) + "." + pip.location() + "." + properties.dnsZone();
    }

    Written<PublicIpAddress> patchPublicIp(ResourceId id, Preconditions preconditions,
                                           UnaryOperator<PublicIpAddress> change) {
        return tx.execute(status -> {
            Stored<PublicIpAddress> existing = repository.findForUpdate(id.key(), PublicIpAddress.class)
                    .orElseThrow(() -> notFound(id));
            preconditions.checkExisting(existing.etag());
            PublicIpAddress next = change.apply(existing.resource());
            String etag = repository.save(next.key(), next.subscriptionId(), next.resourceGroup(), next.location(), next,
                    List.of());
            events.written(id, false);
            return new Written<>(new Stored<>(next, etag), false);
        });
    }

    Stored<PublicIpAddress> publicIp(ResourceId id) {
        return repository.find(id.key(), PublicIpAddress.class).orElseThrow(() -> notFound(id));
    }

    boolean deletePublicIp(ResourceId id, Preconditions preconditions) {
        return Boolean.TRUE.equals(tx.execute(status -> repository.findForUpdate(id.key(), PublicIpAddress.class)
                .map(existing -> {
                    preconditions.checkDelete(existing.etag());
                    Optional<String> user = publicIpConfiguration(existing.resource());
                    if (user.isPresent()) {
                        throw ArmException.badRequest("PublicIPAddressInUse", "Public IP address " + id + " can not "
                                + "be deleted since it is still allocated to resource " + user.get()
                                + ". In order to delete the public IP, disassociate/detach the Public IP address from "
                                + "the resource.", null);
                    }
                    repository.releasePublicAddress(id.key());
                    repository.setDnsLabel(id.key(), existing.resource().location(), null);
                    repository.delete(id.key());
                    events.deleted(id);
                    return true;
                }).orElse(false)));
    }

    /** The NIC IP configuration or load balancer frontend a public IP is associated with, if any. */
    Optional<String> publicIpConfiguration(PublicIpAddress pip) {
        return repository.referrers(NetworkInterface.class, pip.key()).stream()
                .flatMap(nic -> nic.ipConfigurations().stream()
                        .filter(c -> c.publicIpAddressId() != null && c.publicIpAddressId().equalsIgnoreCase(pip.id()))
                        .map(c -> nic.id() + "/ipConfigurations/" + c.name()))
                .findFirst()
                .or(() -> repository.referrers(LoadBalancer.class, pip.key()).stream()
                        .flatMap(lb -> lb.frontends().stream()
                                .filter(f -> f.isPublic() && f.publicIpAddressId().equalsIgnoreCase(pip.id()))
                                .map(f -> lb.childId(LoadBalancer.FRONTENDS, f.name())))
                        .findFirst());
    }

    // ---------------------------------------------------------------- network security groups

    Written<NetworkSecurityGroup> putSecurityGroup(NetworkSecurityGroup candidate, Preconditions preconditions) {
        return tx.execute(status -> {
            Optional<Stored<NetworkSecurityGroup>> existing = repository.findForUpdate(candidate.key(),
                    NetworkSecurityGroup.class);
            preconditions.checkPut(existing.map(Stored::etag).orElse(null));
            existing.ifPresent(e -> checkSameLocation(e.resource().location(), candidate.location()));
            candidate.check("properties.securityRules");
            return saveSecurityGroup(candidate, existing.isEmpty());
        });
    }

    Written<NetworkSecurityGroup> changeSecurityGroup(ResourceId id, Preconditions preconditions,
                                                      UnaryOperator<NetworkSecurityGroup> change, String ruleTarget) {
        return tx.execute(status -> {
            Stored<NetworkSecurityGroup> existing = repository.findForUpdate(id.key(), NetworkSecurityGroup.class)
                    .orElseThrow(() -> notFound(id));
            preconditions.checkExisting(existing.etag());
            NetworkSecurityGroup next = change.apply(existing.resource());
            try {
                next.check("properties.securityRules");
            } catch (ArmException e) {
                if (ruleTarget == null) {
                    throw e;
                }
                throw ArmException.badRequest(e.error().code(), e.error().message(), ruleTarget);
            }
            return saveSecurityGroup(next, false);
        });
    }

    private Written<NetworkSecurityGroup> saveSecurityGroup(NetworkSecurityGroup nsg, boolean created) {
        String etag = repository.save(nsg.key(), nsg.subscriptionId(), nsg.resourceGroup(), nsg.location(), nsg,
                List.of());
        events.written(nsg.resourceId(), created);
        return new Written<>(new Stored<>(nsg, etag), created);
    }

    Stored<NetworkSecurityGroup> securityGroup(ResourceId id) {
        return repository.find(id.key(), NetworkSecurityGroup.class).orElseThrow(() -> notFound(id));
    }

    boolean deleteSecurityGroup(ResourceId id, Preconditions preconditions) {
        return Boolean.TRUE.equals(tx.execute(status -> repository.findForUpdate(id.key(), NetworkSecurityGroup.class)
                .map(existing -> {
                    preconditions.checkDelete(existing.etag());
                    List<String> users = new ArrayList<>(securityGroupInterfaces(id));
                    users.addAll(securityGroupSubnets(id));
                    if (!users.isEmpty()) {
                        throw ArmException.badRequest("InUseNetworkSecurityGroupCannotBeDeleted", "Network security "
                                + "group " + id + " cannot be deleted because it is in use by the following resources: "
                                + String.join(", ", users) + ". In order to delete the Network security group, remove "
                                + "the association with the resource(s).", null);
                    }
                    repository.delete(id.key());
                    events.deleted(id);
                    return true;
                }).orElse(false)));
    }

    List<String> securityGroupInterfaces(ResourceId nsg) {
        return repository.referrers(NetworkInterface.class, nsg.key()).stream().map(NetworkInterface::id).toList();
    }

    List<String> securityGroupSubnets(ResourceId nsg) {
        return repository.referrers(VirtualNetwork.class, nsg.key()).stream()
                .flatMap(v -> v.subnets().stream()
                        .filter(s -> s.networkSecurityGroupId() != null
                                && s.networkSecurityGroupId().equalsIgnoreCase(nsg.toString()))
                        .map(v::subnetId))
                .toList();
    }

    // ---------------------------------------------------------------- shared

    <T> List<Stored<T>> list(Class<T> type, String subscriptionId, String resourceGroup, String afterKey, int limit) {
        return repository.list(type, subscriptionId, resourceGroup, afterKey, limit);
    }

    List<PrivateIp> privateIpsOfSubnet(String subnetKey) {
        return repository.privateIpsOfSubnet(subnetKey);
    }

    private <T> T referenced(String id, Class<T> type, String referrer, String target) {
        return repository.find(id.toLowerCase(Locale.ROOT), type).map(Stored::resource)
                .orElseThrow(() -> invalidReference(id, referrer, target));
    }

    private static ArmException invalidReference(String id, String referrer, String target) {
        return ArmException.badRequest("InvalidResourceReference", "Resource " + id + " referenced by resource "
                + referrer + " was not found. Please make sure that the referenced resource exists, and that both "
                + "resources are in the same region.", target);
    }

    private static void checkReferenceLocation(String referencedLocation, String location, String id, String referrer,
                                               String target) {
        if (!referencedLocation.equals(location)) {
            throw ArmException.badRequest("InvalidResourceReference", "Resource " + id + " referenced by resource "
                    + referrer + " is in region " + referencedLocation + ", not in " + location + ": both resources "
                    + "must be in the same region.", target);
        }
    }

    private static void checkSameLocation(String stored, String asked) {
        if (!stored.equals(asked)) {
            throw new ArmException(409, "PropertyChangeNotAllowed", "Changing property 'location' is not allowed.",
                    "location");
        }
    }

    static ArmException notFound(ResourceId id) {
        return ArmException.notFound("ResourceNotFound", "The Resource '" + id.type() + "/" + String.join("/",
                id.names()) + "' under resource group '" + id.resourceGroup() + "' was not found.");
    }
}
