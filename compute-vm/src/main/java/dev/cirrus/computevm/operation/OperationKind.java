package dev.cirrus.computevm.operation;

/** What an operation does to its resource; tells the provisioning worker which step to run. */
public enum OperationKind {
    Create, Delete
}
