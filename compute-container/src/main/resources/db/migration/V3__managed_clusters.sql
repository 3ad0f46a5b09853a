-- Managed clusters (Microsoft.ContainerService/managedClusters). Keyed as KeysetPage (plumbing) pages them:
-- lower-case ids. The cluster with its agent pools is one JSON document (cluster/ManagedCluster); the columns beside
-- it are what queries need.
create table managed_clusters (
    resource_key        text primary key,      -- the ARM id in lower case
    subscription_key    text        not null,  -- lower case
    resource_group_key  text        not null,  -- lower case
    node_group_key      text        not null,  -- the node resource group, lower case: unique per subscription
    cluster             jsonb       not null,  -- ManagedCluster
    provisioning_state  text        not null,  -- the worker reconciles every cluster not Succeeded or Failed
    repairing           boolean     not null default false,  -- auto-repair under way (a node was stranded)
    etag                text        not null
);
create index managed_clusters_by_group on managed_clusters (subscription_key, resource_group_key, resource_key);
create unique index managed_clusters_node_group on managed_clusters (subscription_key, node_group_key);

-- The nodes of the agent pools: the instances of each pool's scale set in compute-vm, with what Kubernetes keeps of a
-- node beside its VM (its pool, version, whether it is cordoned and drained).
create table cluster_nodes (
    resource_key         text        not null references managed_clusters (resource_key) on delete cascade,
    pool                 text        not null,
    instance_id          text        not null,  -- the scale set's instance id
    name                 text        not null,  -- the VM's computer name: the Kubernetes node name
    vm_id                uuid,                  -- compute-vm's vmId: the placement engine's key of the VM
    orchestrator_version text        not null,
    state                text        not null,  -- Ready, Cordoned, Drained
    created_at           timestamptz not null,
    cordoned_at          timestamptz,
    drained_at           timestamptz,
    primary key (resource_key, pool, instance_id)
);
create index cluster_nodes_by_vm on cluster_nodes (vm_id);

-- Where the placement engine put each VM (its cirrus.placement events): a node's host, rack and fault domain.
create table vm_placements (
    vm_id        uuid primary key,
    host         text        not null,
    rack         text,
    fault_domain integer,
    update_domain integer,
    stranded     boolean     not null default false,  -- on a failed host no healthy host could take it from
    updated_at   timestamptz not null
);

-- The Azure-AsyncOperation of clusters and agent pools (separate from the container groups' queue).
create table cluster_operations (
    id               uuid primary key,
    subscription_key text        not null,
    location         text        not null,
    resource_key     text        not null,
    kind             text        not null,
    status           text        not null,  -- InProgress, Succeeded, Failed, Canceled
    start_time       timestamptz not null,
    end_time         timestamptz,
    error_code       text,
    error_message    text
);
create index cluster_operations_by_resource on cluster_operations (resource_key) where status = 'InProgress';
