package dev.cirrus.computevm.network;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.cirrus.computevm.network.NetworkRepository.Stored;
import dev.cirrus.contracts.arm.Preconditions;
import dev.cirrus.contracts.arm.ResourceId;
import dev.cirrus.plumbing.arm.ArmException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The network interfaces a VM stands on ({@code networkProfile}), decided inside the VM's own transaction (the
 * callers are in {@code dev.cirrus.computevm.vm}; every method here requires one to be open): the NICs named must
 * exist in the VM's subscription and region and be attached to no other VM; attaching sets the NIC's
 * {@code virtualMachine} and its MAC address. Each NIC's row is locked ({@code select … for update}) before it is
 * checked, and {@code vm_network_interfaces} holds a NIC once at most, so two VMs can never take one NIC. A NIC
 * attach or detach is a write of the NIC: it causes the NIC's {@code Microsoft.Network.ResourceUpdated} event.
 *
 * <p>Refusals (all 400, nothing written): a NIC that does not exist, is in another subscription or region —
 * {@code InvalidResourceReference}; a NIC attached to another VM — {@code NicInUse}; several NICs without a
 * primary — {@code NetworkInterfaceMustHavePrimaryPropertySet}; several primaries or one NIC named twice —
 * {@code InvalidParameter}.
 */
@Service
public class NicAttachments {

    /** One entry of {@code networkProfile.networkInterfaces} as the request gives it (primary may be null). */
    public record Requested(String id, Boolean primary, String deleteOption) {
    }

    /** One NIC the VM stands on, as stored on the VM. */
    public record Attached(String id, boolean primary, String deleteOption) {
    }

    /** One entry of {@code networkProfile.networkInterfaceConfigurations}: a NIC the VM creates for itself. */
    public record Configuration(String name, Boolean primary, String deleteOption, String networkSecurityGroupId,
                                List<IpConfiguration> ipConfigurations) {
    }

    /** An IP configuration of a {@link Configuration}; {@code publicIp} is null when none is asked for. */
    public record IpConfiguration(String name, Boolean primary, String subnetId, PublicIpConfiguration publicIp) {
    }

    /** {@code publicIPAddressConfiguration}: a public IP the VM creates for one IP configuration. */
    public record PublicIpConfiguration(String name, String sku, String allocationMethod, String deleteOption,
                                        String domainNameLabel) {
    }

    private static final java.util.regex.Pattern DNS_LABEL =
            java.util.regex.Pattern.compile("[a-z][a-z0-9-]{1,61}[a-z0-9]");

    private final NetworkRepository repository;
    private final Networks networks;
    private final NetworkEvents events;
    private final JdbcClient jdbc;

    NicAttachments(NetworkRepository repository, Networks networks, NetworkEvents events, JdbcClient jdbc) {
        this.repository = repository;
        this.networks = networks;
        this.events = events;
        this.jdbc = jdbc;
    }

    /**
     * Attaches the NICs {@code requested} to the VM {@code vmId} (in {@code location}); returns them as stored on
     * the VM, primary and deleteOption filled (one NIC is primary; deleteOption defaults to Detach).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public List<Attached> attach(ResourceId vmId, String location, List<Requested> requested) {
        List<Attached> attached = primaries(requested.stream()
                .map(r -> new Attached(r.id(), Boolean.TRUE.equals(r.primary()),
                        r.deleteOption() == null ? "Detach" : r.deleteOption()))
                .toList(), requested.stream().map(Requested::primary).toList(), vmId.name());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < attached.size(); i++) {
            if (!seen.add(attached.get(i).id().toLowerCase(Locale.ROOT))) {
                throw ArmException.invalidParameter("Network interface " + attached.get(i).id() + " is referenced more "
                        + "than once by virtual machine " + vmId + ".", target(i));
            }
        }
        // lock the NICs in key order, so two VMs naming the same NICs cannot deadlock
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < attached.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparing(i -> attached.get(i).id().toLowerCase(Locale.ROOT)));
        NetworkInterface[] nics = new NetworkInterface[attached.size()];
        for (int i : order) {
            nics[i] = lockAttachable(vmId, location, attached.get(i).id(), target(i));
        }
        for (int i = 0; i < attached.size(); i++) {
            save(vmId, i, attached.get(i), nics[i], List.of());
        }
        return attached;
    }

    /**
     * Creates one NIC per configuration, named {@code {vmName}-{configurationName}} in the VM's resource group
     * (with a public IP {@code {vmName}-{publicIPAddressConfiguration.name}} where asked), then attaches them as
     * {@link #attach} does. An existing resource of that name is refused rather than taken over.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public List<Attached> create(ResourceId vmId, String location, List<Configuration> configurations) {
        List<Attached> attached = primaries(configurations.stream()
                .map(c -> new Attached(nicId(vmId, c).toString(), Boolean.TRUE.equals(c.primary()),
                        c.deleteOption() == null ? "Detach" : c.deleteOption()))
                .toList(), configurations.stream().map(Configuration::primary).toList(), vmId.name());
        for (int i = 0; i < configurations.size(); i++) {
            Configuration c = configurations.get(i);
            String path = "properties.networkProfile.networkInterfaceConfigurations[" + i + "]";
            ResourceId nicId = nicId(vmId, c);
            if (repository.find(nicId.key(), NetworkInterface.class).isPresent()) {
                throw ArmException.badRequest("InvalidParameter", "Network interface " + nicId + " already exists: "
                        + "a network interface configuration creates a new one.", path + ".name");
            }
            List<NetworkInterface.IpConfiguration> ips = new ArrayList<>();
            List<String> publicIps = new ArrayList<>();
            boolean single = c.ipConfigurations().size() == 1;
            long primaryIps = c.ipConfigurations().stream().filter(ip -> Boolean.TRUE.equals(ip.primary())).count();
            if (!single && primaryIps != 1) {
                throw ArmException.invalidParameter("Network interface configuration " + c.name() + " has "
                        + c.ipConfigurations().size() + " IP configurations and " + primaryIps + " of them primary: "
                        + "exactly one must be primary.", path + ".properties.ipConfigurations");
            }
            for (int j = 0; j < c.ipConfigurations().size(); j++) {
                IpConfiguration ip = c.ipConfigurations().get(j);
                String pipId = null;
                if (ip.publicIp() != null) {
                    PublicIpConfiguration p = ip.publicIp();
                    ResourceId id = ResourceId.of(vmId.subscriptionId(), vmId.resourceGroup(), "Microsoft.Network",
                            "publicIPAddresses", vmId.name() + "-" + p.name());
                    if (repository.find(id.key(), PublicIpAddress.class).isPresent()) {
                        throw ArmException.badRequest("InvalidParameter", "Public IP address " + id + " already "
                                + "exists: a public IP address configuration creates a new one.",
                                path + ".properties.ipConfigurations[" + j
                                        + "].properties.publicIPAddressConfiguration.name");
                    }
                    String pipPath = path + ".properties.ipConfigurations[" + j + "].properties"
                            + ".publicIPAddressConfiguration";
                    String sku = p.sku() == null ? "Basic" : p.sku();
                    String method = p.allocationMethod() != null ? p.allocationMethod()
                            : sku.equals("Standard") ? "Static" : "Dynamic";
                    if (sku.equals("Standard") && method.equals("Dynamic")) {
                        throw ArmException.badRequest("StandardSkuPublicIPAddressesMustBeStatic", "Standard sku "
                                + "publicIp " + id + " must have AllocationMethod set to Static.",
                                pipPath + ".properties.publicIPAllocationMethod");
                    }
                    if (p.domainNameLabel() != null && !DNS_LABEL.matcher(p.domainNameLabel()).matches()) {
                        throw ArmException.badRequest("InvalidDomainNameLabel", "The domain name label "
                                + NetworkRequests.shown(p.domainNameLabel()) + " is invalid. It must conform to the "
                                + "following regular expression: ^[a-z][a-z0-9-]{1,61}[a-z0-9]$.",
                                pipPath + ".properties.dnsSettings.domainNameLabel");
                    }
                    PublicIpAddress pip = networks.putPublicIp(new PublicIpAddress(id.subscriptionId(),
                            id.resourceGroup(), id.name(), location, Map.of(), sku, method, null, 4,
                            p.domainNameLabel()), Preconditions.NONE).stored().resource();
                    pipId = pip.id();
                    if (!"Detach".equals(p.deleteOption())) {
                        publicIps.add(pip.key());
                    }
                }
                ips.add(new NetworkInterface.IpConfiguration(ip.name(), ip.subnetId(), "Dynamic", null,
                        single || Boolean.TRUE.equals(ip.primary()), pipId));
            }
            NetworkInterface nic = networks.putInterface(new NetworkInterface(nicId.subscriptionId(),
                    nicId.resourceGroup(), nicId.name(), location, Map.of(), ips, c.networkSecurityGroupId(), null,
                    null),
                    Preconditions.NONE).stored().resource();
            NetworkInterface locked = repository.findForUpdate(nic.key(), NetworkInterface.class).orElseThrow()
                    .resource();
            save(vmId, i, attached.get(i), locked, publicIps);
        }
        return attached;
    }

    /**
     * The VM is gone: its NICs are detached, or deleted when their deleteOption is Delete (with the public IPs the
     * VM created for them unless those said Detach).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void release(ResourceId vmId) {
        record Row(String nicKey, String deleteOption, List<String> publicIps) {
        }
        List<Row> rows = jdbc.sql("select nic_key, delete_option, public_ip_keys from vm_network_interfaces "
                        + "where vm_key = ? order by nic_key")
                .param(vmId.key())
                .query((rs, i) -> new Row(rs.getString(1), rs.getString(2),
                        List.of((String[]) rs.getArray(3).getArray())))
                .list();
        for (Row row : rows) {
            repository.findForUpdate(row.nicKey(), NetworkInterface.class).ifPresent(stored -> {
                NetworkInterface nic = stored.resource();
                if (row.deleteOption().equals("Delete")) {
                    repository.releasePrivateIps(nic.key());
                    repository.delete(nic.key());
                    events.deleted(nic.resourceId());
                    for (String pipKey : row.publicIps()) {
                        repository.findForUpdate(pipKey, PublicIpAddress.class).ifPresent(pip -> {
                            repository.releasePublicAddress(pipKey);
                            repository.setDnsLabel(pipKey, pip.resource().location(), null);
                            repository.delete(pipKey);
                            events.deleted(pip.resource().resourceId());
                        });
                    }
                } else {
                    NetworkInterface detached = nic.attachedTo(null, null);
                    repository.save(detached.key(), detached.subscriptionId(), detached.resourceGroup(),
                            detached.location(), detached, detached.references());
                    events.written(detached.resourceId(), false);
                }
            });
        }
        jdbc.sql("delete from vm_network_interfaces where vm_key = ?").param(vmId.key()).update();
    }

    /**
     * Azure's MAC address format, {@code 00-0D-3A-xx-xx-xx} (00-0D-3A is Microsoft's prefix); the last three bytes
     * are derived from the NIC's id, so a NIC keeps its address across attachments.
     */
    static String macAddress(String nicKey) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(nicKey.getBytes(StandardCharsets.UTF_8));
            return String.format("00-0D-3A-%02X-%02X-%02X", hash[0], hash[1], hash[2]);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ResourceId nicId(ResourceId vmId, Configuration c) {
        return ResourceId.of(vmId.subscriptionId(), vmId.resourceGroup(), "Microsoft.Network", "networkInterfaces",
                vmId.name() + "-" + c.name());
    }

    private static String target(int i) {
        return "properties.networkProfile.networkInterfaces[" + i + "].id";
    }

    /** One NIC is primary by itself; of several, exactly one must say so. */
    private static List<Attached> primaries(List<Attached> nics, List<Boolean> flags, String vmName) {
        if (nics.size() == 1) {
            Attached only = nics.getFirst();
            return List.of(new Attached(only.id(), true, only.deleteOption()));
        }
        long primaries = flags.stream().filter(Boolean.TRUE::equals).count();
        if (primaries == 0) {
            throw ArmException.badRequest("NetworkInterfaceMustHavePrimaryPropertySet", "Virtual machine " + vmName
                    + " has " + nics.size() + " network interfaces and none of them has the primary property set: "
                    + "exactly one must be primary.", "properties.networkProfile");
        }
        if (primaries > 1) {
            throw ArmException.invalidParameter("Virtual machine " + vmName + " has " + primaries + " network "
                    + "interfaces set as primary: exactly one must be primary.", "properties.networkProfile");
        }
        return nics;
    }

    private NetworkInterface lockAttachable(ResourceId vmId, String location, String id, String target) {
        ResourceId nicId = ResourceId.parse(id).orElseThrow(() -> ArmException.invalidParameter("'" + id
                + "' is not a valid network interface id.", target));
        if (!nicId.type().equalsIgnoreCase(NetworkInterface.TYPE)) {
            throw ArmException.badRequest("LinkedInvalidPropertyId", "Property id '" + id + "' at path '" + target
                    + "' is invalid: it must be the id of a " + NetworkInterface.TYPE + ".", target);
        }
        NetworkInterface nic = nicId.subscriptionId().equalsIgnoreCase(vmId.subscriptionId())
                ? repository.findForUpdate(nicId.key(), NetworkInterface.class).map(Stored::resource).orElse(null)
                : null;
        if (nic == null) {
            throw ArmException.badRequest("InvalidResourceReference", "Resource " + id + " referenced by resource "
                    + vmId + " was not found. Please make sure that the referenced resource exists, and that both "
                    + "resources are in the same region.", target);
        }
        if (!nic.location().equals(location)) {
            throw ArmException.badRequest("InvalidResourceReference", "Resource " + nic.id() + " referenced by "
                    + "resource " + vmId + " is in region " + nic.location() + ", not in " + location + ": both "
                    + "resources must be in the same region.", target);
        }
        if (nic.virtualMachineId() != null && !nic.virtualMachineId().equalsIgnoreCase(vmId.toString())) {
            throw ArmException.badRequest("NicInUse", "Network Interface " + nic.id() + " is used by existing "
                    + "resource " + nic.virtualMachineId() + ". A network interface can be attached to one virtual "
                    + "machine only.", target);
        }
        return nic;
    }

    private void save(ResourceId vmId, int position, Attached attached, NetworkInterface nic, List<String> publicIps) {
        NetworkInterface next = nic.attachedTo(vmId.toString(), macAddress(nic.key()));
        repository.save(next.key(), next.subscriptionId(), next.resourceGroup(), next.location(), next,
                next.references());
        jdbc.sql("insert into vm_network_interfaces(nic_key, nic_id, vm_key, position, is_primary, delete_option, "
                        + "public_ip_keys) values (?,?,?,?,?,?,?)")
                .params(next.key(), next.id(), vmId.key(), position, attached.primary(), attached.deleteOption(),
                        publicIps.toArray(String[]::new))
                .update();
        events.written(next.resourceId(), false);
    }
}
