package dev.cirrus.computevm.scaleset;

/**
 * Uniform: identical instances from one model, managed through the set's instance API
 * ({@code …/virtualMachineScaleSets/{set}/virtualMachines/{instanceId}}). Flexible: the instances are ordinary
 * VMs that name their set. Chosen at creation; it never changes.
 */
enum OrchestrationMode {
    Uniform, Flexible
}
