package dev.cirrus.serverless.runtime;

/**
 * A language worker: starts instances that run one app's functions. JavaScript (GraalJS) is the first; a second
 * language is another implementation chosen by the app's {@code FUNCTIONS_WORKER_RUNTIME} setting.
 */
public interface LanguageRuntime {

    /** The {@code FUNCTIONS_WORKER_RUNTIME} value this runtime serves, e.g. {@code node}. */
    String workerRuntime();

    /** Cold-starts an instance with the app's code loaded. */
    FunctionInstance start(AppCode code);
}
