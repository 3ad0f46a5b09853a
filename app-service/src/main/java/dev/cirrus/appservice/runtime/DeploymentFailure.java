package dev.cirrus.appservice.runtime;

/**
 * A deployment that could not start its app: the stack's runtime is missing, or a process exited or did not listen in
 * time. The deployment is recorded as failed (Kudu's status 3) and the content that served before keeps serving.
 */
class DeploymentFailure extends RuntimeException {

    DeploymentFailure(String message) {
        super(message);
    }
}
