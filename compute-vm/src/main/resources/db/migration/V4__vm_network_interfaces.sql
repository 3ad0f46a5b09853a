-- compute-vm: which network interfaces each VM stands on. A NIC is attached to at most one VM: the primary key on
-- nic_key refuses a second attachment even if two VM writes raced (they also lock the NIC's network_resources row,
-- see dev.cirrus.computevm.network.NicAttachments). Rows are written in the VM's own transaction and removed when
-- the VM is gone (detached, or deleted with it when delete_option is Delete).
create table vm_network_interfaces (
    nic_key          text    primary key,        -- lower-cased NIC id
    nic_id           text    not null,           -- the NIC's id as its owner spells it
    vm_key           text    not null,           -- lower-cased VM id
    position         int     not null,           -- order in networkProfile.networkInterfaces
    is_primary       boolean not null,
    delete_option    text    not null,           -- Delete | Detach
    public_ip_keys   text[]  not null default '{}'  -- public IPs the VM created for this NIC, deleted with it
);
create index vm_network_interfaces_by_vm on vm_network_interfaces (vm_key, position);
