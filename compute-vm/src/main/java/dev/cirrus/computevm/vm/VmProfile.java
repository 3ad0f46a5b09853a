package dev.cirrus.computevm.vm;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.JsonNode;

/**
 * The settings of a VM as stored and returned inside {@code properties}. Write-only values
 * (the admin password, custom data) never get here.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VmProfile(HardwareProfile hardwareProfile, StorageProfile storageProfile, OsProfile osProfile,
                        NetworkProfile networkProfile) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record HardwareProfile(String vmSize) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StorageProfile(ImageReference imageReference, OsDisk osDisk, List<DataDisk> dataDisks) {
    }

    /** As requested, plus {@code exactVersion}: the version {@code latest} meant when the VM was created. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ImageReference(String publisher, String offer, String sku, String version, String exactVersion) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OsDisk(String osType, String name, String createOption, String caching, Integer diskSizeGB,
                         ManagedDisk managedDisk) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DataDisk(Integer lun, String name, String createOption, String caching, Integer diskSizeGB,
                           ManagedDisk managedDisk) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ManagedDisk(String storageAccountType) {
    }

    /** computerName and adminUsername, plus the OS configuration objects passed through as given. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OsProfile(String computerName, String adminUsername, JsonNode linuxConfiguration,
                            JsonNode windowsConfiguration, JsonNode secrets, Boolean allowExtensionOperations) {
    }

    /**
     * The NICs the VM stands on ({@code networkInterfaces}: given, or created from
     * {@code networkInterfaceConfigurations}, which are kept as given), see
     * {@link dev.cirrus.computevm.network.NicAttachments}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record NetworkProfile(String networkApiVersion, List<NetworkInterfaceReference> networkInterfaces,
                                 JsonNode networkInterfaceConfigurations) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record NetworkInterfaceReference(String id, NetworkInterfaceProperties properties) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record NetworkInterfaceProperties(Boolean primary, String deleteOption) {
    }
}
