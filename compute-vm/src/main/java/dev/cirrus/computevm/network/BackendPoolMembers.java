package dev.cirrus.computevm.network;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * {@code network_lb_backend_members}: the NIC IP configurations in each backend pool of a load balancer, written when
 * a NIC PUT names {@code loadBalancerBackendAddressPools}; a NIC's rows go when it is deleted (foreign key).
 */
@Repository
class BackendPoolMembers {

    /** One member: the pool it is in and the NIC IP configuration. */
    record Member(String poolId, String ipConfigurationId) {
    }

    private final JdbcClient jdbc;

    BackendPoolMembers(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Replaces the pools of a NIC's IP configurations with {@code members}. */
    void replace(String nicKey, List<Member> members) {
        jdbc.sql("delete from network_lb_backend_members where nic_key = ?").param(nicKey).update();
        for (Member m : members) {
            jdbc.sql("insert into network_lb_backend_members(lb_key, pool_key, pool_id, nic_key, ip_configuration_id) "
                            + "values (?,?,?,?,?) on conflict do nothing")
                    .params(lbKey(m.poolId()), m.poolId().toLowerCase(Locale.ROOT), m.poolId(), nicKey,
                            m.ipConfigurationId())
                    .update();
        }
    }

    /** The members of every pool of a load balancer, in pool and configuration order. */
    List<Member> ofLoadBalancer(String lbKey) {
        return jdbc.sql("select pool_id, ip_configuration_id from network_lb_backend_members where lb_key = ? "
                        + "order by pool_key, ip_configuration_id")
                .param(lbKey).query((rs, i) -> new Member(rs.getString(1), rs.getString(2))).list();
    }

    /** The pools of a NIC's IP configurations: lower-cased IP configuration id → pool ids. */
    Map<String, List<String>> ofInterface(String nicKey) {
        Map<String, List<String>> pools = new LinkedHashMap<>();
        jdbc.sql("select pool_id, ip_configuration_id from network_lb_backend_members where nic_key = ? "
                        + "order by ip_configuration_id, pool_key")
                .param(nicKey).query((rs, i) -> new Member(rs.getString(1), rs.getString(2))).list()
                .forEach(m -> pools.computeIfAbsent(m.ipConfigurationId().toLowerCase(Locale.ROOT),
                        k -> new java.util.ArrayList<>()).add(m.poolId()));
        return pools;
    }

    private static String lbKey(String poolId) {
        String key = poolId.toLowerCase(Locale.ROOT);
        return key.substring(0, key.lastIndexOf("/" + LoadBalancer.POOLS.toLowerCase(Locale.ROOT) + "/"));
    }
}
