package dev.cirrus.computevm.network;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code cirrus.network.*}, checked at start-up.
 *
 * @param publicIpPool the IPv4 prefix public addresses are handed out from. Default 198.18.0.0/15, the range set
 *                     aside for benchmarking networks (never routed on the internet), so an address Cirrus hands out
 *                     can never be mistaken for someone's real one
 * @param dnsZone      the zone of public IP DNS names: {@code {label}.{region}.{dnsZone}}
 * @param pageSize     the largest page of a list
 */
@ConfigurationProperties("cirrus.network")
public record NetworkProperties(String publicIpPool, String dnsZone, Integer pageSize) {

    public NetworkProperties {
        publicIpPool = publicIpPool == null ? "198.18.0.0/15" : publicIpPool;
        dnsZone = dnsZone == null ? "cloudapp.localhost" : dnsZone;
        pageSize = pageSize == null ? 50 : pageSize;
        if (Ipv4Prefix.parse(publicIpPool).isEmpty()) {
            throw new IllegalArgumentException("cirrus.network.public-ip-pool must be an IPv4 prefix such as "
                    + "198.18.0.0/15, not '" + publicIpPool + "'");
        }
        if (!dnsZone.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")) {
            throw new IllegalArgumentException("cirrus.network.dns-zone must be a DNS name, not '" + dnsZone + "'");
        }
        if (pageSize < 1) {
            throw new IllegalArgumentException("cirrus.network.page-size must be at least 1");
        }
    }

    public Ipv4Prefix pool() {
        return Ipv4Prefix.parse(publicIpPool).orElseThrow();
    }
}
