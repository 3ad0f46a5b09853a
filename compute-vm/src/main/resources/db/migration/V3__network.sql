-- compute-vm, Microsoft.Network: virtual networks (with their subnets), network interfaces, public IP addresses and
-- network security groups (with their rules). Each resource is one row holding its document (the plain Java record
-- of dev.cirrus.computevm.network as JSON); refs lists the lower-cased ids it points at (subnets, NSGs, public IPs),
-- which answers "who uses this?" for back-references and in-use refusals.
create table network_resources (
    resource_key       text        primary key,   -- lower-cased ARM id
    type               text        not null,      -- virtualNetworks | networkInterfaces | publicIPAddresses | networkSecurityGroups
    subscription_key   text        not null,
    resource_group_key text        not null,
    location           text        not null,
    document           jsonb       not null,
    refs               text[]      not null default '{}',
    etag               text        not null       -- W/"guid", new on every write
);
create index network_resources_by_group on network_resources (subscription_key, resource_group_key, type, resource_key);
create index network_resources_by_subscription on network_resources (subscription_key, type, resource_key);
create index network_resources_by_ref on network_resources using gin (refs);

-- The private addresses handed out: one row per address of a subnet, so two NICs can never hold the same one.
create table network_private_ips (
    subnet_key        text    not null,           -- lower-cased subnet id
    address           bigint  not null,           -- unsigned IPv4 address
    nic_key           text    not null,
    nic_id            text    not null,           -- the NIC's id as its owner spells it
    ip_configuration  text    not null,
    primary key (subnet_key, address)
);
create index network_private_ips_by_nic on network_private_ips (nic_key);

-- The public addresses handed out from cirrus.network.public-ip-pool, and the DNS labels taken per region.
create table network_public_ips (
    address        bigint primary key,
    public_ip_key  text   not null unique
);
create table network_dns_labels (
    location       text not null,
    label          text not null,                 -- lower-cased
    public_ip_key  text not null unique,
    primary key (location, label)
);
