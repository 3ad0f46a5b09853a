package dev.cirrus.serverless.runtime;

/**
 * One warm instance of an app: module state survives between invocations (as in a Node worker process), and it
 * runs one invocation at a time. An invocation that ends by a limit (timeout, memory) leaves it unusable; the pool
 * then discards it, so the next call gets a fresh instance.
 */
public interface FunctionInstance extends AutoCloseable {

    InvocationOutcome invoke(String functionName, Invocation invocation, ExecutionLimits limits);

    boolean usable();

    @Override
    void close();
}
