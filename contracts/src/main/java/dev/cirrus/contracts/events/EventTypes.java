package dev.cirrus.contracts.events;

/**
 * The catalogue of event types (CloudEvents {@code type}). Documented with one JSON example each in
 * {@code docs/events/asyncapi.yaml}; a test checks that every constant here has an example there.
 *
 * <p>To add an event type: add a constant here, a payload record in this package if the data is new, an example
 * in the AsyncAPI document, and publish it through the outbox of the owning service.
 */
public final class EventTypes {

    // cirrus.resources (gateway); data: ResourceGroupData
    public static final String RESOURCE_GROUP_WRITTEN = "Microsoft.Resources.ResourceGroupWritten";
    public static final String RESOURCE_GROUP_DELETED = "Microsoft.Resources.ResourceGroupDeleted";

    // cirrus.compute.vm (compute-vm); data: VmLifecycleData
    public static final String VM_CREATED = "Microsoft.Compute.VirtualMachineCreated";
    public static final String VM_ALLOCATED = "Microsoft.Compute.VirtualMachineAllocated";
    public static final String VM_STARTED = "Microsoft.Compute.VirtualMachineStarted";
    public static final String VM_ALLOCATION_FAILED = "Microsoft.Compute.VirtualMachineAllocationFailed";
    public static final String VM_DELETED = "Microsoft.Compute.VirtualMachineDeleted";
    // power actions (compute-vm/README.md): every power-state change, intermediate ones included
    public static final String VM_STARTING = "Microsoft.Compute.VirtualMachineStarting";
    public static final String VM_STOPPING = "Microsoft.Compute.VirtualMachineStopping";
    public static final String VM_STOPPED = "Microsoft.Compute.VirtualMachineStopped";
    public static final String VM_DEALLOCATING = "Microsoft.Compute.VirtualMachineDeallocating";
    public static final String VM_DEALLOCATED = "Microsoft.Compute.VirtualMachineDeallocated";
    public static final String VM_RESTARTING = "Microsoft.Compute.VirtualMachineRestarting";
    public static final String VM_RESTARTED = "Microsoft.Compute.VirtualMachineRestarted";
    public static final String VM_REDEPLOYING = "Microsoft.Compute.VirtualMachineRedeploying";
    public static final String VM_REDEPLOYED = "Microsoft.Compute.VirtualMachineRedeployed";
    // a scale set instance's OS disk is restored from its image (reimage): it reboots on the same host
    public static final String VM_REIMAGING = "Microsoft.Compute.VirtualMachineReimaging";
    public static final String VM_REIMAGED = "Microsoft.Compute.VirtualMachineReimaged";
    // platform reactions to cirrus.placement (host failure, stranded VM, planned maintenance)
    public static final String VM_SERVICE_HEALING_STARTED = "Microsoft.Compute.VirtualMachineServiceHealingStarted";
    public static final String VM_SERVICE_HEALING_COMPLETED = "Microsoft.Compute.VirtualMachineServiceHealingCompleted";
    public static final String VM_UNAVAILABLE = "Microsoft.Compute.VirtualMachineUnavailable";
    public static final String VM_MAINTENANCE_REBOOT_STARTED = "Microsoft.Compute.VirtualMachineMaintenanceRebootStarted";
    public static final String VM_MAINTENANCE_REBOOT_COMPLETED = "Microsoft.Compute.VirtualMachineMaintenanceRebootCompleted";

    // also on cirrus.compute.vm: scale sets (compute-vm); data: ScaleSetData. Their instances' own events are the
    // VirtualMachine* events above, with the instance's id (…/virtualMachineScaleSets/{set}/virtualMachines/{id}) as
    // subject and its instance id as name, so billing meters instances exactly like VMs.
    public static final String SCALE_SET_CREATED = "Microsoft.Compute.ScaleSetCreated";
    public static final String SCALE_SET_UPDATED = "Microsoft.Compute.ScaleSetUpdated";
    // an operation of the set is over (a capacity change with its overprovisioning clean-up, a set-wide action, a
    // rolling upgrade): provisioningState Succeeded or Failed
    public static final String SCALE_SET_SCALED = "Microsoft.Compute.ScaleSetScaled";
    public static final String SCALE_SET_DELETED = "Microsoft.Compute.ScaleSetDeleted";

    // also on cirrus.compute.vm: the autoscale engine's actions on a scale set (compute-vm autoscale/); data:
    // AutoscaleActionData. Subject: the autoscale setting's id.
    public static final String AUTOSCALE_SCALED_OUT = "Microsoft.Insights.AutoscaleScaledOut";
    public static final String AUTOSCALE_SCALED_IN = "Microsoft.Insights.AutoscaleScaledIn";
    public static final String AUTOSCALE_SCALE_FAILED = "Microsoft.Insights.AutoscaleScaleFailed";

    // also on cirrus.compute.vm: Microsoft.Network resources (compute-vm owns them); data: NetworkResourceData
    public static final String NETWORK_RESOURCE_CREATED = "Microsoft.Network.ResourceCreated";
    public static final String NETWORK_RESOURCE_UPDATED = "Microsoft.Network.ResourceUpdated";
    public static final String NETWORK_RESOURCE_DELETED = "Microsoft.Network.ResourceDeleted";

    // cirrus.placement (placement-engine); data: PlacementData
    public static final String HOST_ALLOCATED = "Cirrus.Placement.HostAllocated";
    public static final String HOST_RELEASED = "Cirrus.Placement.HostReleased";
    // data: PlacementData of where the VM is now; its host failed and it was moved there and rebooted, or (same host as
    // before) it was stranded on a failed host that has recovered and it reboots there
    public static final String VM_SERVICE_HEALED = "Cirrus.Placement.VmServiceHealed";
    // data: PlacementData of where the VM is now; its host was drained and it was moved there
    public static final String VM_MIGRATED = "Cirrus.Placement.VmMigrated";
    // data: PlacementData of the failed or drained host the VM is still on: no healthy host could take it
    public static final String VM_STRANDED = "Cirrus.Placement.VmStranded";
    // data: PlacementData of the VM; planned maintenance reboots it in its update domain's wave
    public static final String VM_REBOOT_STARTED = "Cirrus.Placement.VmRebootStarted";
    public static final String VM_REBOOT_COMPLETED = "Cirrus.Placement.VmRebootCompleted";
    // also on cirrus.placement, but not about one VM (so not Cirrus.Placement.*, whose data is PlacementData):
    // subject /cirrus/placement/maintenances/{id}; data: MaintenanceWaveData
    public static final String MAINTENANCE_WAVE_STARTED = "Cirrus.Maintenance.WaveStarted";
    public static final String MAINTENANCE_WAVE_COMPLETED = "Cirrus.Maintenance.WaveCompleted";

    // cirrus.compute.container (compute-container); data: ContainerGroupData
    public static final String CONTAINER_GROUP_STARTED = "Microsoft.ContainerInstance.ContainerGroupStarted";
    public static final String CONTAINER_GROUP_STOPPED = "Microsoft.ContainerInstance.ContainerGroupStopped";
    public static final String CONTAINER_GROUP_DELETED = "Microsoft.ContainerInstance.ContainerGroupDeleted";
    // data: ManagedClusterData (subject: the cluster's id); the management tier is billed while Running
    public static final String MANAGED_CLUSTER_WRITTEN = "Microsoft.ContainerService.ManagedClusterWritten";
    public static final String MANAGED_CLUSTER_DELETED = "Microsoft.ContainerService.ManagedClusterDeleted";
    // data: ClusterNodeData (subject .../managedClusters/{c}/agentPools/{pool}/nodes/{node}): what happens to a node
    // as Kubernetes sees it. Not metered: a node is an instance of its pool's scale set, billed by compute-vm's events.
    public static final String CLUSTER_NODE_ADDED = "Microsoft.ContainerService.NodeAdded";
    public static final String CLUSTER_NODE_CORDONED = "Microsoft.ContainerService.NodeCordoned";
    public static final String CLUSTER_NODE_DRAINED = "Microsoft.ContainerService.NodeDrained";
    public static final String CLUSTER_NODE_REMOVED = "Microsoft.ContainerService.NodeRemoved";
    // its host (or rack) failed or was drained and the platform moved the node's VM to a healthy host
    public static final String CLUSTER_NODE_REPAIRED = "Microsoft.ContainerService.NodeRepaired";

    // also on cirrus.compute.vm: Azure Batch (compute-vm's batch package). Subjects are the account's ARM id with the
    // data-plane path: {account}/pools/{pool}, .../pools/{pool}/nodes/{node}, {account}/jobs/{job}, .../jobs/{job}/tasks/{task}
    // data: BatchPoolData
    public static final String BATCH_POOL_CREATED = "Microsoft.Batch.PoolCreated";
    public static final String BATCH_POOL_RESIZE_COMPLETED = "Microsoft.Batch.PoolResizeCompleted";
    public static final String BATCH_POOL_DELETED = "Microsoft.Batch.PoolDeleted";
    // data: VmLifecycleData (a node is a VM of the pool's size to billing: metered while it exists, powerState running)
    public static final String BATCH_NODE_STARTED = "Microsoft.Batch.PoolNodeStarted";
    public static final String BATCH_NODE_DELETED = "Microsoft.Batch.PoolNodeDeleted";
    // data: BatchJobData
    public static final String BATCH_JOB_CREATED = "Microsoft.Batch.JobCreated";
    public static final String BATCH_JOB_COMPLETED = "Microsoft.Batch.JobCompleted";
    public static final String BATCH_JOB_DELETED = "Microsoft.Batch.JobDeleted";
    // data: BatchTaskData
    public static final String BATCH_TASK_STARTED = "Microsoft.Batch.TaskStarted";
    public static final String BATCH_TASK_COMPLETED = "Microsoft.Batch.TaskCompleted";

    // cirrus.appservice (app-service); data: AppServicePlanData
    public static final String APP_SERVICE_PLAN_WRITTEN = "Microsoft.Web.ServerFarmWritten";
    public static final String APP_SERVICE_PLAN_DELETED = "Microsoft.Web.ServerFarmDeleted";
    // data: WebAppData (subject: the site's id); the lifecycle of a web app (Microsoft.Web/sites of kind app, api,
    // mobileapp and their Linux variants) and its deployments
    public static final String WEB_APP_WRITTEN = "Microsoft.Web.WebAppWritten";
    public static final String WEB_APP_STARTED = "Microsoft.Web.WebAppStarted";
    public static final String WEB_APP_STOPPED = "Microsoft.Web.WebAppStopped";
    public static final String WEB_APP_DELETED = "Microsoft.Web.WebAppDeleted";
    public static final String WEB_APP_DEPLOYED = "Microsoft.Web.WebAppDeployed";
    // data: WebAppData (subject: the slot's id …/sites/{app}/slots/{slot}, name {app}/{slot}); a deployment slot's
    // lifecycle and deployments
    public static final String WEB_APP_SLOT_WRITTEN = "Microsoft.Web.WebAppSlotWritten";
    public static final String WEB_APP_SLOT_STARTED = "Microsoft.Web.WebAppSlotStarted";
    public static final String WEB_APP_SLOT_STOPPED = "Microsoft.Web.WebAppSlotStopped";
    public static final String WEB_APP_SLOT_DELETED = "Microsoft.Web.WebAppSlotDeleted";
    public static final String WEB_APP_SLOT_DEPLOYED = "Microsoft.Web.WebAppSlotDeployed";
    // data: WebAppSwapData (subject: the app's id); two slots of an app exchanged content and settings
    public static final String WEB_APP_SLOTS_SWAPPED = "Microsoft.Web.WebAppSlotsSwapped";
    // data: WebJobRunData (subject: …/sites/{app}[/slots/{slot}]/triggeredwebjobs/{job}); a triggered WebJob's run
    public static final String WEB_JOB_RUN_STARTED = "Microsoft.Web.WebJobRunStarted";
    public static final String WEB_JOB_RUN_COMPLETED = "Microsoft.Web.WebJobRunCompleted";

    // cirrus.serverless (serverless); data: FunctionExecutionData, WorkflowRunData
    public static final String FUNCTION_EXECUTED = "Microsoft.Web.FunctionExecuted";
    // data: FunctionAppData (subject: the app's id); the lifecycle of a function app (Microsoft.Web/sites)
    public static final String FUNCTION_APP_CREATED = "Microsoft.Web.FunctionAppCreated";
    public static final String FUNCTION_APP_UPDATED = "Microsoft.Web.FunctionAppUpdated";
    public static final String FUNCTION_APP_STOPPED = "Microsoft.Web.FunctionAppStopped";
    public static final String FUNCTION_APP_STARTED = "Microsoft.Web.FunctionAppStarted";
    public static final String FUNCTION_APP_DELETED = "Microsoft.Web.FunctionAppDeleted";
    public static final String WORKFLOW_RUN_STARTED = "Microsoft.Logic.WorkflowRunStarted";
    public static final String WORKFLOW_RUN_COMPLETED = "Microsoft.Logic.WorkflowRunCompleted";
    // data: StorageAccountData (subject: the account's id); the lifecycle of a storage account, owned by serverless
    public static final String STORAGE_ACCOUNT_CREATED = "Microsoft.Storage.StorageAccountCreated";
    public static final String STORAGE_ACCOUNT_UPDATED = "Microsoft.Storage.StorageAccountUpdated";
    public static final String STORAGE_ACCOUNT_DELETED = "Microsoft.Storage.StorageAccountDeleted";

    // cirrus.billing (billing); data: BudgetAlertData
    public static final String BUDGET_THRESHOLD_CROSSED = "Microsoft.Consumption.BudgetThresholdCrossed";

    // cirrus.faults (gateway); subject /cirrus/faults/{ruleId}. A rule was created, or deleted (by a caller, or at
    // its expiry: data.reason) — data: FaultRuleData; a rule injected a fault into one request — data:
    // FaultInjectedData
    public static final String FAULT_RULE_CREATED = "Cirrus.Faults.RuleCreated";
    public static final String FAULT_RULE_DELETED = "Cirrus.Faults.RuleDeleted";
    public static final String FAULT_INJECTED = "Cirrus.Faults.FaultInjected";

    private EventTypes() {
    }
}
