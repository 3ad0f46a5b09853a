-- compute-vm, Microsoft.Network load balancers. A load balancer is a row of network_resources (type loadBalancers,
-- refs = its frontends' public IPs and subnets); a private frontend holds its address in network_private_ips like a
-- NIC's IP configuration (nic_key = the load balancer's key, ip_configuration = 'frontendIPConfigurations/{name}').
-- This table is the other side of a NIC IP configuration's loadBalancerBackendAddressPools: which IP configurations
-- are in which backend pool. A NIC's rows go with the NIC.
create table network_lb_backend_members (
    lb_key               text not null,           -- lower-cased id of the load balancer
    pool_key             text not null,           -- lower-cased id of the pool
    pool_id              text not null,           -- the pool's id as the load balancer spells it
    nic_key              text not null references network_resources (resource_key) on delete cascade,
    ip_configuration_id  text not null,           -- the NIC IP configuration's id as its NIC spells it
    primary key (pool_key, ip_configuration_id)
);
create index network_lb_backend_members_by_lb on network_lb_backend_members (lb_key);
create index network_lb_backend_members_by_nic on network_lb_backend_members (nic_key);
