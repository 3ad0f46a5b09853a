package dev.cirrus.computevm.operation;

/** ARM's operation statuses; everything but InProgress is terminal. */
public enum OperationStatus {
    InProgress, Succeeded, Failed, Canceled;

    public boolean terminal() {
        return this != InProgress;
    }
}
