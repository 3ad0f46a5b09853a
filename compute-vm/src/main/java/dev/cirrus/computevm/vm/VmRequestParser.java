package dev.cirrus.computevm.vm;

import static dev.cirrus.contracts.arm.ArmJson.array;
import static dev.cirrus.contracts.arm.ArmJson.bool;
import static dev.cirrus.contracts.arm.ArmJson.integer;
import static dev.cirrus.contracts.arm.ArmJson.missing;
import static dev.cirrus.contracts.arm.ArmJson.object;
import static dev.cirrus.contracts.arm.ArmJson.oneOf;
import static dev.cirrus.contracts.arm.ArmJson.string;
import static dev.cirrus.contracts.arm.ArmJson.wrongType;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import dev.cirrus.contracts.arm.ArmError;
import dev.cirrus.contracts.arm.ArmErrorException;
import dev.cirrus.contracts.arm.ArmJson;
import dev.cirrus.contracts.arm.ArmLocations;
import dev.cirrus.contracts.arm.ArmTags;
import dev.cirrus.contracts.arm.ResourceId;
import dev.cirrus.computevm.network.NicAttachments;
import dev.cirrus.computevm.size.SizeCatalogue;
import dev.cirrus.computevm.size.VmSize;
import dev.cirrus.plumbing.arm.ArmException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a VM PUT body as a JSON tree, field by field, so that every refusal names the exact property
 * ({@code target}) and says what is wrong with it. Nothing here touches state: a refused body changes nothing.
 *
 * <p>Refusals: a wrong JSON type is 400 {@code InvalidRequestContent}; a missing location 400 {@code LocationRequired};
 * a missing or unacceptable value 400 {@code InvalidParameter}; more data disks than the size allows 409
 * {@code OperationNotAllowed} (Azure's code for it).
 */
public final class VmRequestParser {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Set<String> ZONES = Set.of("1", "2", "3");
    static final int MAX_LUN = 63;
    /** Azure's limit on network interface names. */
    private static final int MAX_NIC_NAME = 80;

    private final SizeCatalogue sizes;

    public VmRequestParser(SizeCatalogue sizes) {
        this.sizes = sizes;
    }

    /**
     * Linux VM names (the brief's rule): 1 to 64 letters, digits, '-', '_' or '.', not ending with '.' or '-'.
     */
    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches() || name.endsWith(".") || name.endsWith("-")) {
            throw ArmException.invalidParameter("The name '" + name + "' is not a valid virtual machine name. Use 1 to "
                    + "64 letters, digits, '-', '_' or '.', and do not end the name with '.' or '-'.", "name");
        }
    }

    /** Names Azure refuses as a VM's administrator account (compared ignoring case). */
    static final Set<String> RESERVED_ADMIN_USERNAMES = Set.of("administrator", "admin", "user", "user1", "test",
            "user2", "test1", "user3", "admin1", "1", "123", "a", "actuser", "adm", "admin2", "aspnet", "backup",
            "console", "david", "guest", "john", "owner", "root", "server", "sql", "support", "support_388945a0", "sys",
            "test2", "test3", "user4", "user5");
    private static final Pattern ADMIN_USERNAME_FORBIDDEN = Pattern.compile("[\\\\/\"\\[\\]:|<>+=;,?*@&\\s\\p{Cntrl}]");

    /**
     * Azure's rules for {@code osProfile.adminUsername}: not one of its reserved names, 1 to 64 characters on
     * Linux and 1 to 20 on Windows, none of {@code \ / " [ ] : | < > + = ; , ? * @ &}, no spaces or control
     * characters, not ending with '.'. Refusals are 400 {@code InvalidParameter} with target {@code adminUsername},
     * Azure's own target for them.
     */
    static void checkAdminUsername(String name, boolean windows) {
        if (RESERVED_ADMIN_USERNAMES.contains(name.toLowerCase(java.util.Locale.ROOT))) {
            throw ArmException.invalidParameter("The Admin Username specified is not allowed.", "adminUsername");
        }
        int max = windows ? 20 : 64;
        if (name.isEmpty() || name.length() > max) {
            throw ArmException.invalidParameter("The admin user name must have 1 to " + max + " characters on "
                    + (windows ? "Windows" : "Linux") + ".", "adminUsername");
        }
        if (ADMIN_USERNAME_FORBIDDEN.matcher(name).find() || name.endsWith(".")) {
            throw ArmException.invalidParameter("The admin user name cannot contain special characters "
                    + "\\/\"[]:|<>+=;,?*@&, spaces or control characters, or end with '.'.", "adminUsername");
        }
    }

    private static final Pattern COMPUTER_NAME_FORBIDDEN =
            Pattern.compile("[~!@#$%^&*()=+\\[\\]{}\\\\|;:'\",<>/?\\s\\p{Cntrl}]");

    VmRequest parse(JsonNode body) {
        ArmJson.requireObject(body);
        String rawLocation = string(body, "location", "location");
        if (rawLocation == null || rawLocation.isBlank()) {
            throw ArmException.badRequest("LocationRequired", "The location property is required for this definition.",
                    "location");
        }
        String location = ArmLocations.require(rawLocation, "location");
        Map<String, String> tags = ArmTags.read(body);
        List<String> zones = zones(body);

        ObjectNode properties = object(body, "properties", "properties");
        ObjectNode props = properties == null ? JsonNodeFactory.instance.objectNode() : properties;

        ObjectNode hardware = object(props, "hardwareProfile", "properties.hardwareProfile");
        String vmSize = hardware == null ? null : string(hardware, "vmSize", "properties.hardwareProfile.vmSize");
        if (vmSize == null) {
            throw missing("hardwareProfile.vmSize", "properties.hardwareProfile.vmSize");
        }
        // Azure names the size itself as the target of this refusal ("vmSize"), not its path
        VmSize size = size(vmSize, "vmSize");
        return parseProperties(location, tags, zones, size, props, true);
    }

    /** The catalogue's size {@code vmSize}, or Azure's 400 InvalidParameter naming {@code target}. */
    public VmSize size(String vmSize, String target) {
        return sizes.find(vmSize).orElseThrow(() -> ArmException.invalidParameter("The value '" + vmSize
                + "' provided for the VM size is not valid. The valid sizes are: " + String.join(", ",
                sizes.all().stream().map(VmSize::name).toList()) + ".", target));
    }

    /**
     * A scale set's {@code properties.virtualMachineProfile}, read by exactly the rules of a VM's {@code properties}
     * (the size is the set's {@code sku.name}, already checked); a refusal's target is the path under
     * {@code properties.virtualMachineProfile}. {@code networkInterfaceConfigurations} need
     * {@code networkApiVersion} only when {@code nicsNeedApiVersion} (Flexible sets, whose instances are VMs with
     * Microsoft.Network NICs; a Uniform set's instances have NICs of their own kind).
     */
    public VmRequest parseScaleSetProfile(String location, Map<String, String> tags, VmSize size,
                                          ObjectNode virtualMachineProfile, boolean nicsNeedApiVersion) {
        try {
            return parseProperties(location, tags, null, size, virtualMachineProfile, nicsNeedApiVersion);
        } catch (ArmErrorException e) {
            String target = e.error().target();
            if (target == null || !target.startsWith("properties.")) {
                throw e;
            }
            throw new ArmErrorException(e.status(), new ArmError(e.error().code(), e.error().message(),
                    "properties.virtualMachineProfile." + target.substring("properties.".length()),
                    e.error().details()), null);
        }
    }

    private VmRequest parseProperties(String location, Map<String, String> tags, List<String> zones, VmSize size,
                                      ObjectNode props, boolean nicsNeedApiVersion) {
        ObjectNode storage = object(props, "storageProfile", "properties.storageProfile");
        VmProfile.ImageReference image = null;
        VmProfile.OsDisk osDisk = null;
        List<VmProfile.DataDisk> dataDisks = List.of();
        if (storage != null) {
            image = imageReference(storage);
            osDisk = osDisk(storage);
            dataDisks = dataDisks(storage, size);
        }
        VmProfile.OsProfile osProfile = osProfile(props);
        VmProfile.NetworkProfile network = networkProfile(props);
        List<NicAttachments.Configuration> nicConfigurations = nicConfigurations(network, nicsNeedApiVersion);
        String availabilitySetId = null;
        ObjectNode availabilitySet = object(props, "availabilitySet", "properties.availabilitySet");
        if (availabilitySet != null) {
            availabilitySetId = string(availabilitySet, "id", "properties.availabilitySet.id");
        }

        ObjectNode comparable = props.deepCopy();
        if (comparable.get("osProfile") instanceof ObjectNode os) {
            // write-only: kept nowhere, compared with nothing
            os.remove("adminPassword");
            os.remove("customData");
        }
        return new VmRequest(location, tags, zones, size, image, osDisk, dataDisks, osProfile, network,
                nicConfigurations, availabilitySetId, comparable);
    }

    private static List<String> zones(JsonNode body) {
        JsonNode zones = array(body, "zones", "zones");
        if (zones == null) {
            return null;
        }
        List<String> list = new ArrayList<>();
        for (int i = 0; i < zones.size(); i++) {
            JsonNode zone = zones.get(i);
            if (!zone.isString()) {
                throw wrongType("zones[" + i + "]", "a string");
            }
            if (!ZONES.contains(zone.stringValue())) {
                throw ArmException.invalidParameter("The zone '" + zone.stringValue() + "' is not valid: use '1', '2' or '3'.",
                        "zones");
            }
            list.add(zone.stringValue());
        }
        if (list.size() > 1) {
            throw ArmException.invalidParameter("A virtual machine can be placed in at most one zone.", "zones");
        }
        return list;
    }

    private static VmProfile.ImageReference imageReference(ObjectNode storage) {
        String path = "properties.storageProfile.imageReference";
        ObjectNode image = object(storage, "imageReference", path);
        if (image == null) {
            return null;
        }
        String publisher = string(image, "publisher", path + ".publisher");
        String offer = string(image, "offer", path + ".offer");
        String sku = string(image, "sku", path + ".sku");
        String version = string(image, "version", path + ".version");
        if (publisher == null) {
            throw missing("imageReference.publisher", path + ".publisher");
        }
        if (offer == null) {
            throw missing("imageReference.offer", path + ".offer");
        }
        if (sku == null) {
            throw missing("imageReference.sku", path + ".sku");
        }
        // Azure's SDKs always send a version; "latest" is what an omitted one means
        return new VmProfile.ImageReference(publisher, offer, sku, version == null ? "latest" : version, null);
    }

    private static VmProfile.OsDisk osDisk(ObjectNode storage) {
        String path = "properties.storageProfile.osDisk";
        ObjectNode disk = object(storage, "osDisk", path);
        if (disk == null) {
            return null;
        }
        String osType = oneOf(disk, "osType", path + ".osType", "Linux", "Windows");
        String name = string(disk, "name", path + ".name");
        String createOption = oneOf(disk, "createOption", path + ".createOption", "FromImage", "Attach", "Empty");
        if (createOption != null && !createOption.equals("FromImage")) {
            throw ArmException.invalidParameter("The OS disk createOption '" + createOption + "' is not supported: "
                    + "Cirrus creates OS disks from the image only ('FromImage').", path + ".createOption");
        }
        String caching = oneOf(disk, "caching", path + ".caching", "None", "ReadOnly", "ReadWrite");
        Integer sizeGb = integer(disk, "diskSizeGB", path + ".diskSizeGB", 1, 4095);
        return new VmProfile.OsDisk(osType, name, createOption, caching, sizeGb, managedDisk(disk, path));
    }

    private static List<VmProfile.DataDisk> dataDisks(ObjectNode storage, VmSize size) {
        JsonNode disks = array(storage, "dataDisks", "properties.storageProfile.dataDisks");
        if (disks == null) {
            return List.of();
        }
        List<VmProfile.DataDisk> list = new ArrayList<>();
        Set<Integer> luns = new HashSet<>();
        for (int i = 0; i < disks.size(); i++) {
            String path = "properties.storageProfile.dataDisks[" + i + "]";
            if (!disks.get(i).isObject()) {
                throw wrongType(path, "an object");
            }
            ObjectNode disk = (ObjectNode) disks.get(i);
            Integer lun = integer(disk, "lun", path + ".lun", 0, MAX_LUN);
            if (lun == null) {
                throw missing("dataDisks.lun", path + ".lun");
            }
            if (!luns.add(lun)) {
                throw ArmException.invalidParameter("Two data disks use LUN " + lun + "; every data disk needs its own.",
                        path + ".lun");
            }
            String createOption = oneOf(disk, "createOption", path + ".createOption", "Empty", "Attach", "FromImage");
            if (createOption == null) {
                throw missing("dataDisks.createOption", path + ".createOption");
            }
            if (!createOption.equals("Empty")) {
                throw ArmException.invalidParameter("The data disk createOption '" + createOption + "' is not supported:"
                        + " Cirrus creates empty data disks only ('Empty').", path + ".createOption");
            }
            Integer sizeGb = integer(disk, "diskSizeGB", path + ".diskSizeGB", 1, 32767);
            if (sizeGb == null) {
                throw missing("dataDisks.diskSizeGB", path + ".diskSizeGB");
            }
            list.add(new VmProfile.DataDisk(lun, string(disk, "name", path + ".name"), createOption,
                    oneOf(disk, "caching", path + ".caching", "None", "ReadOnly", "ReadWrite"), sizeGb,
                    managedDisk(disk, path)));
        }
        if (list.size() > size.maxDataDiskCount()) {
            throw new ArmException(409, "OperationNotAllowed", "The maximum number of data disks allowed to be attached "
                    + "to a VM of size " + size.name() + " is " + size.maxDataDiskCount() + ".",
                    "properties.storageProfile.dataDisks");
        }
        return list;
    }

    private static VmProfile.ManagedDisk managedDisk(ObjectNode disk, String path) {
        ObjectNode managed = object(disk, "managedDisk", path + ".managedDisk");
        if (managed == null) {
            return null;
        }
        return new VmProfile.ManagedDisk(oneOf(managed, "storageAccountType", path + ".managedDisk.storageAccountType",
                "Standard_LRS", "Premium_LRS", "StandardSSD_LRS", "UltraSSD_LRS", "Premium_ZRS", "StandardSSD_ZRS",
                "PremiumV2_LRS"));
    }

    private static VmProfile.OsProfile osProfile(ObjectNode props) {
        String path = "properties.osProfile";
        ObjectNode os = object(props, "osProfile", path);
        if (os == null) {
            return null;
        }
        String computerName = string(os, "computerName", path + ".computerName");
        if (computerName != null && (computerName.isEmpty() || computerName.length() > 64
                || COMPUTER_NAME_FORBIDDEN.matcher(computerName).find())) {
            throw ArmException.invalidParameter("The computer name must have 1 to 64 characters, none of them spaces, "
                    + "control characters or ~!@#$%^&*()=+[]{}\\|;:'\",<>/?.", path + ".computerName");
        }
        String adminUsername = string(os, "adminUsername", path + ".adminUsername");
        if (adminUsername == null) {
            throw missing("osProfile.adminUsername", path + ".adminUsername");
        }
        checkAdminUsername(adminUsername, os.get("windowsConfiguration") instanceof ObjectNode);
        // type-checked, then dropped: write-only values are never stored nor returned
        string(os, "adminPassword", path + ".adminPassword");
        string(os, "customData", path + ".customData");
        return new VmProfile.OsProfile(computerName, adminUsername,
                object(os, "linuxConfiguration", path + ".linuxConfiguration"),
                object(os, "windowsConfiguration", path + ".windowsConfiguration"),
                array(os, "secrets", path + ".secrets"),
                bool(os, "allowExtensionOperations", path + ".allowExtensionOperations"));
    }

    private static VmProfile.NetworkProfile networkProfile(ObjectNode props) {
        String path = "properties.networkProfile";
        ObjectNode network = object(props, "networkProfile", path);
        if (network == null) {
            return null;
        }
        JsonNode nics = array(network, "networkInterfaces", path + ".networkInterfaces");
        List<VmProfile.NetworkInterfaceReference> list = new ArrayList<>();
        if (nics != null) {
            for (int i = 0; i < nics.size(); i++) {
                String nicPath = path + ".networkInterfaces[" + i + "]";
                if (!nics.get(i).isObject()) {
                    throw wrongType(nicPath, "an object");
                }
                ObjectNode nic = (ObjectNode) nics.get(i);
                String id = string(nic, "id", nicPath + ".id");
                if (id == null) {
                    throw missing("networkInterfaces.id", nicPath + ".id");
                }
                if (ResourceId.require(id, nicPath + ".id").name().length() > MAX_NIC_NAME) {
                    throw ArmException.invalidParameter("The network interface name in '" + nicPath + ".id' is longer "
                            + "than " + MAX_NIC_NAME + " characters.", nicPath + ".id");
                }
                ObjectNode nicProps = object(nic, "properties", nicPath + ".properties");
                VmProfile.NetworkInterfaceProperties p = nicProps == null ? null
                        : new VmProfile.NetworkInterfaceProperties(bool(nicProps, "primary", nicPath + ".properties.primary"),
                        oneOf(nicProps, "deleteOption", nicPath + ".properties.deleteOption", "Delete", "Detach"));
                list.add(new VmProfile.NetworkInterfaceReference(id, p));
            }
        }
        String apiVersion = string(network, "networkApiVersion", path + ".networkApiVersion");
        JsonNode configurations = array(network, "networkInterfaceConfigurations",
                path + ".networkInterfaceConfigurations");
        return new VmProfile.NetworkProfile(apiVersion, list, configurations);
    }

    /**
     * {@code networkProfile.networkInterfaceConfigurations}: NICs the VM creates for itself, each with IP
     * configurations in subnets and optionally a new public IP. Azure requires {@code networkApiVersion} with them,
     * and either them or {@code networkInterfaces} on a create (a VM read back names both: the NICs they made).
     */
    static List<NicAttachments.Configuration> nicConfigurations(VmProfile.NetworkProfile network,
                                                                boolean needApiVersion) {
        String path = "properties.networkProfile.networkInterfaceConfigurations";
        JsonNode array = network == null ? null : network.networkInterfaceConfigurations();
        if (array == null || array.isEmpty()) {
            return List.of();
        }
        if (needApiVersion && network.networkApiVersion() == null) {
            throw ArmException.invalidParameter("networkApiVersion must be set when networkInterfaceConfigurations "
                    + "are given.", "properties.networkProfile.networkApiVersion");
        }
        List<NicAttachments.Configuration> list = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String p = path + "[" + i + "]";
            if (!array.get(i).isObject()) {
                throw wrongType(p, "an object");
            }
            ObjectNode c = (ObjectNode) array.get(i);
            String name = configurationName(c, p);
            ObjectNode props = object(c, "properties", p + ".properties");
            if (props == null) {
                throw missing("networkInterfaceConfigurations.properties", p + ".properties");
            }
            String nsg = reference(props, "networkSecurityGroup", p + ".properties.networkSecurityGroup");
            JsonNode ips = array(props, "ipConfigurations", p + ".properties.ipConfigurations");
            if (ips == null || ips.isEmpty()) {
                throw missing("networkInterfaceConfigurations.ipConfigurations", p + ".properties.ipConfigurations");
            }
            List<NicAttachments.IpConfiguration> ipConfigurations = new ArrayList<>();
            for (int j = 0; j < ips.size(); j++) {
                String ip = p + ".properties.ipConfigurations[" + j + "]";
                if (!ips.get(j).isObject()) {
                    throw wrongType(ip, "an object");
                }
                ObjectNode ipc = (ObjectNode) ips.get(j);
                String ipName = configurationName(ipc, ip);
                ObjectNode ipProps = object(ipc, "properties", ip + ".properties");
                String subnet = ipProps == null ? null : reference(ipProps, "subnet", ip + ".properties.subnet");
                if (subnet == null) {
                    throw missing("ipConfigurations.subnet", ip + ".properties.subnet.id");
                }
                ObjectNode pipc = object(ipProps, "publicIPAddressConfiguration",
                        ip + ".properties.publicIPAddressConfiguration");
                NicAttachments.PublicIpConfiguration publicIp = null;
                if (pipc != null) {
                    String pp = ip + ".properties.publicIPAddressConfiguration";
                    String pipName = configurationName(pipc, pp);
                    ObjectNode sku = object(pipc, "sku", pp + ".sku");
                    ObjectNode pipProps = object(pipc, "properties", pp + ".properties");
                    ObjectNode dns = pipProps == null ? null
                            : object(pipProps, "dnsSettings", pp + ".properties.dnsSettings");
                    publicIp = new NicAttachments.PublicIpConfiguration(pipName,
                            sku == null ? null : oneOf(sku, "name", pp + ".sku.name", "Basic", "Standard"),
                            pipProps == null ? null : oneOf(pipProps, "publicIPAllocationMethod",
                                    pp + ".properties.publicIPAllocationMethod", "Dynamic", "Static"),
                            pipProps == null ? null : oneOf(pipProps, "deleteOption", pp + ".properties.deleteOption",
                                    "Delete", "Detach"),
                            dns == null ? null : string(dns, "domainNameLabel",
                                    pp + ".properties.dnsSettings.domainNameLabel"));
                }
                ipConfigurations.add(new NicAttachments.IpConfiguration(ipName,
                        ipProps == null ? null : bool(ipProps, "primary", ip + ".properties.primary"), subnet,
                        publicIp));
            }
            list.add(new NicAttachments.Configuration(name, bool(props, "primary", p + ".properties.primary"),
                    oneOf(props, "deleteOption", p + ".properties.deleteOption", "Delete", "Detach"), nsg,
                    ipConfigurations));
        }
        return list;
    }

    /** Azure's rule for network resource names: 1 to 80 letters, digits, '_', '.', '-'. */
    private static final Pattern NETWORK_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9_.-]{0,78}[A-Za-z0-9_])?");

    private static String configurationName(ObjectNode node, String path) {
        String name = string(node, "name", path + ".name");
        if (name == null) {
            throw missing("name", path + ".name");
        }
        if (!NETWORK_NAME.matcher(name).matches()) {
            throw ArmException.invalidParameter("The name '" + name + "' is not valid: use 1 to 80 letters, digits, "
                    + "'_', '.' or '-', beginning with a letter or digit.", path + ".name");
        }
        return name;
    }

    private static String reference(ObjectNode parent, String name, String path) {
        ObjectNode ref = object(parent, name, path);
        if (ref == null) {
            return null;
        }
        String id = string(ref, "id", path + ".id");
        return id == null ? null : ResourceId.require(id, path + ".id").toString();
    }
}
