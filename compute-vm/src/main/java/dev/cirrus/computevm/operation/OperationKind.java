package dev.cirrus.computevm.operation;

/**
 * What an operation does to its resource; tells the provisioning worker which step to run. {@code ServiceHealReboot}
 * is the platform's own: the unplanned reboot of a VM the placement engine moved off a failed host.
 * {@code ScaleSetUpdate} is a scale set's own operation (a capacity change, a set-wide action): it ends when the
 * operations of its instances have (scaleset/ScaleSetWorker), never through the provisioning worker.
 */
public enum OperationKind {
    Create, Delete, Start, PowerOff, Deallocate, Restart, Redeploy, ServiceHealReboot, ScaleSetUpdate, Reimage
}
