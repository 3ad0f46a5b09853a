package dev.cirrus.computevm.network;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.cirrus.plumbing.arm.KeysetPage;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.ObjectMapper;

/**
 * The network tables: one document per resource ({@code network_resources}), the private addresses of subnets,
 * the public addresses of the pool and the DNS labels of regions.
 */
@Repository
public class NetworkRepository {

    /** A resource as stored, with the ETag of this version. */
    public record Stored<T>(T resource, String etag) {
    }

    /** One private address held by a NIC's IP configuration. */
    public record PrivateIp(String subnetKey, long address, String nicKey, String nicId, String ipConfiguration) {

        /**
         * The id of the IP configuration holding the address: a NIC's ({@code ipConfiguration} is its name), or a
         * load balancer frontend's ({@code ipConfiguration} is {@code frontendIPConfigurations/{name}}).
         */
        public String configurationId() {
            return ipConfiguration.contains("/") ? nicId + "/" + ipConfiguration
                    : nicId + "/ipConfigurations/" + ipConfiguration;
        }
    }

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    NetworkRepository(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    static String typeName(Class<?> type) {
        if (type == VirtualNetwork.class) {
            return "virtualNetworks";
        }
        if (type == NetworkInterface.class) {
            return "networkInterfaces";
        }
        if (type == PublicIpAddress.class) {
            return "publicIPAddresses";
        }
        if (type == NetworkSecurityGroup.class) {
            return "networkSecurityGroups";
        }
        if (type == LoadBalancer.class) {
            return "loadBalancers";
        }
        throw new IllegalArgumentException(type.getName());
    }

    <T> Optional<Stored<T>> find(String key, Class<T> type) {
        return jdbc.sql("select document::text, etag from network_resources where resource_key = ? and type = ?")
                .params(key, typeName(type))
                .query((rs, i) -> new Stored<>(json.readValue(rs.getString(1), type), rs.getString(2))).optional();
    }

    /** Reads the resource and locks it until the transaction ends. */
    <T> Optional<Stored<T>> findForUpdate(String key, Class<T> type) {
        return jdbc.sql("select document::text, etag from network_resources where resource_key = ? and type = ? for update")
                .params(key, typeName(type))
                .query((rs, i) -> new Stored<>(json.readValue(rs.getString(1), type), rs.getString(2))).optional();
    }

    /** Writes a new version; returns its ETag. */
    String save(String key, String subscriptionId, String resourceGroup, String location, Object document,
                List<String> refs) {
        String etag = "W/\"" + UUID.randomUUID() + "\"";
        jdbc.sql("""
                        insert into network_resources(resource_key, type, subscription_key, resource_group_key, location,
                            document, refs, etag)
                        values (?,?,?,?,?,?::jsonb,?,?)
                        on conflict (resource_key) do update set document = excluded.document, refs = excluded.refs,
                            etag = excluded.etag""")
                .params(key, typeName(document.getClass()), subscriptionId.toLowerCase(Locale.ROOT),
                        resourceGroup.toLowerCase(Locale.ROOT), location, json.writeValueAsString(document),
                        refs.toArray(String[]::new), etag)
                .update();
        return etag;
    }

    /** The location of a stored resource. */
    Optional<String> location(String key) {
        return jdbc.sql("select location from network_resources where resource_key = ?").param(key)
                .query(String.class).optional();
    }

    void delete(String key) {
        jdbc.sql("delete from network_resources where resource_key = ?").param(key).update();
    }

    <T> List<Stored<T>> list(Class<T> type, String subscriptionId, String resourceGroupOrNull, String afterKey,
                             int limit) {
        KeysetPage page = KeysetPage.of("select document::text, etag, resource_key from network_resources where type = ?",
                List.of(typeName(type)), subscriptionId, resourceGroupOrNull, afterKey, limit);
        return jdbc.sql(page.sql()).params(page.params())
                .query((rs, i) -> new Stored<>(json.readValue(rs.getString(1), type), rs.getString(2))).list();
    }

    /** The resources of {@code type} that point at {@code key}. */
    <T> List<T> referrers(Class<T> type, String key) {
        return jdbc.sql("select document::text from network_resources where type = ? and ? = any(refs) "
                        + "order by resource_key")
                .params(typeName(type), key)
                .query((rs, i) -> json.readValue(rs.getString(1), type)).list();
    }

    /** Whether the NIC is its VM's primary one (vm_network_interfaces; false when attached to none). */
    boolean attachedAsPrimary(String nicKey) {
        return jdbc.sql("select is_primary from vm_network_interfaces where nic_key = ?").param(nicKey)
                .query(Boolean.class).optional().orElse(false);
    }

    // private addresses

    List<PrivateIp> privateIpsOfSubnet(String subnetKey) {
        return jdbc.sql("select * from network_private_ips where subnet_key = ? order by address").param(subnetKey)
                .query((rs, i) -> new PrivateIp(rs.getString("subnet_key"), rs.getLong("address"),
                        rs.getString("nic_key"), rs.getString("nic_id"), rs.getString("ip_configuration")))
                .list();
    }

    Set<Long> takenAddresses(String subnetKey) {
        return new HashSet<>(jdbc.sql("select address from network_private_ips where subnet_key = ?")
                .param(subnetKey).query(Long.class).list());
    }

    /** The NICs holding addresses in any subnet of the network. */
    List<String> nicsInNetwork(String vnetKey) {
        return jdbc.sql("select distinct nic_id from network_private_ips where subnet_key like ? escape '\\' "
                        + "order by nic_id")
                .param(vnetKey.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "/subnets/%")
                .query(String.class).list();
    }

    void releasePrivateIps(String nicKey) {
        jdbc.sql("delete from network_private_ips where nic_key = ?").param(nicKey).update();
    }

    void holdPrivateIp(PrivateIp ip) {
        jdbc.sql("insert into network_private_ips(subnet_key, address, nic_key, nic_id, ip_configuration) "
                        + "values (?,?,?,?,?)")
                .params(ip.subnetKey(), ip.address(), ip.nicKey(), ip.nicId(), ip.ipConfiguration()).update();
    }

    // public addresses and DNS labels

    Set<Long> takenPublicAddresses() {
        return new HashSet<>(jdbc.sql("select address from network_public_ips").query(Long.class).list());
    }

    /** Serializes hand-outs from the pool until the transaction ends. */
    void lockPool() {
        jdbc.sql("select pg_advisory_xact_lock(hashtext('network_public_ips'))").query().singleRow();
    }

    void holdPublicAddress(long address, String publicIpKey) {
        jdbc.sql("insert into network_public_ips(address, public_ip_key) values (?,?)").params(address, publicIpKey)
                .update();
    }

    void releasePublicAddress(String publicIpKey) {
        jdbc.sql("delete from network_public_ips where public_ip_key = ?").param(publicIpKey).update();
    }

    /** The public IP holding {@code label} in {@code location}, if any. */
    Optional<String> dnsLabelHolder(String location, String label) {
        return jdbc.sql("select public_ip_key from network_dns_labels where location = ? and label = ?")
                .params(location, label.toLowerCase(Locale.ROOT)).query(String.class).optional();
    }

    void setDnsLabel(String publicIpKey, String location, String labelOrNull) {
        jdbc.sql("delete from network_dns_labels where public_ip_key = ?").param(publicIpKey).update();
        if (labelOrNull != null) {
            jdbc.sql("insert into network_dns_labels(location, label, public_ip_key) values (?,?,?)")
                    .params(location, labelOrNull.toLowerCase(Locale.ROOT), publicIpKey).update();
        }
    }
}
