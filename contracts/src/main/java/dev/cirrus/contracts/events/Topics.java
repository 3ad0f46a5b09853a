package dev.cirrus.contracts.events;

import java.util.List;

/** Kafka topic names. Every lifecycle topic is keyed by the lower-cased ARM resource id. */
public final class Topics {
    public static final String RESOURCES = "cirrus.resources";
    public static final String COMPUTE_VM = "cirrus.compute.vm";
    public static final String COMPUTE_CONTAINER = "cirrus.compute.container";
    public static final String APP_SERVICE = "cirrus.appservice";
    public static final String SERVERLESS = "cirrus.serverless";
    public static final String PLACEMENT = "cirrus.placement";
    public static final String BILLING = "cirrus.billing";
    /** fault injection (gateway): rule changes and every injected fault, keyed by the rule's path */
    public static final String FAULTS = "cirrus.faults";

    public static final List<String> ALL =
            List.of(RESOURCES, COMPUTE_VM, COMPUTE_CONTAINER, APP_SERVICE, SERVERLESS, PLACEMENT, BILLING, FAULTS);

    private Topics() {
    }
}
