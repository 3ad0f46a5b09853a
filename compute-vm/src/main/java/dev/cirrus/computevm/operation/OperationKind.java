package dev.cirrus.computevm.operation;

/**
 * What an operation does to its resource; tells the provisioning worker which step to run. {@code ServiceHealReboot}
 * is the platform's own: the unplanned reboot of a VM the placement engine moved off a failed host.
 */
public enum OperationKind {
    Create, Delete, Start, PowerOff, Deallocate, Restart, Redeploy, ServiceHealReboot
}
