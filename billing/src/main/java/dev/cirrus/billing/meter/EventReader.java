package dev.cirrus.billing.meter;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.cirrus.billing.meter.Reading.Executions;
import dev.cirrus.billing.meter.Reading.NotMetered;
import dev.cirrus.billing.meter.Reading.Quantity;
import dev.cirrus.billing.meter.Reading.Rate;
import dev.cirrus.billing.meter.Reading.Rejected;
import dev.cirrus.billing.meter.Reading.Resource;
import dev.cirrus.billing.meter.Reading.Transition;
import dev.cirrus.billing.price.PriceSheet;
import dev.cirrus.contracts.events.CloudEvent;
import dev.cirrus.contracts.events.EventTypes;
import tools.jackson.databind.JsonNode;

/**
 * Reads one lifecycle event as billing sees it (a pure function of the event and the price sheet):
 *
 * <ul>
 *   <li>VMs, scale-set instances (AKS nodes among them: the instances of their pools' scale sets) and Batch nodes
 *       ({@code cirrus.compute.vm}), all with data {@code VmLifecycleData}: a
 *       transition; billed at the size's hourly price for the location while the power state is billed (running,
 *       stopping, stopped; starting if configured), never after {@code *Deleted} or {@code *AllocationFailed};</li>
 *   <li>AKS clusters ({@code ManagedClusterData}): the management tier per cluster-hour while {@code powerState}
 *       is Running (Free at its price of 0), until deleted;</li>
 *   <li>container groups ({@code ContainerGroupData}): billed while {@code state} is Running, at
 *       {@code cpu x perVcpuSecond} and {@code memoryInGB x perGbSecond} per second;</li>
 *   <li>App Service plans ({@code AppServicePlanData}): {@code capacity} instance-hours per hour at the tier's price
 *       (F1 costs 0), until deleted; a Consumption plan (Y1) accrues nothing, its apps' executions are billed;</li>
 *   <li>Functions executions ({@code FunctionExecutionData}): one execution (0.000001 of the "1M" unit) and
 *       {@code ceil(max(memoryMb,128)/128) x 128/1024 x max(durationMs/1000, 0.1)} GB-seconds, exactly; not metered
 *       when {@code serverFarmId} names a dedicated plan (the plan's instance-seconds are the bill);</li>
 *   <li>Logic Apps runs ({@code WorkflowRunData}): trigger and built-in action executions, standard and enterprise
 *       connector executions.</li>
 * </ul>
 *
 * Missing fields, negative quantities and meters the price sheet does not know are rejected with the reason; a
 * transition that cannot be priced still closes what was open (the resource's state moved on), with the problem.
 *
 * <p>Worked example: a function of 160 MB running 200 ms uses ceil(160/128) = 2 buckets = 256 MB = 0.25 GB for
 * 0.2 s: 0.05 GB-s. One running 20 ms at 100 MB is billed the minimum: 0.125 GB x 0.1 s = 0.0125 GB-s.
 */
public final class EventReader {

    private static final String ID = "/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/";
    /** The Functions Consumption plan's SKU (tier Dynamic): no instance charge. */
    static final String CONSUMPTION_PLAN_SKU = "Y1";
    private static final Pattern VM = id("Microsoft\\.Compute/virtualMachines/([^/]+)");
    private static final Pattern SCALE_SET_VM = id("Microsoft\\.Compute/virtualMachineScaleSets/([^/]+)/virtualMachines/([^/]+)");
    private static final Pattern BATCH_NODE = id("Microsoft\\.Batch/batchAccounts/([^/]+)/pools/([^/]+)/nodes/([^/]+)");
    private static final Pattern MANAGED_CLUSTER = id("Microsoft\\.ContainerService/managedClusters/([^/]+)");
    private static final Pattern CONTAINER_GROUP = id("Microsoft\\.ContainerInstance/containerGroups/([^/]+)");
    private static final Pattern PLAN = id("Microsoft\\.Web/serverfarms/([^/]+)");
    private static final Pattern SITE = id("Microsoft\\.Web/sites/([^/]+)");
    private static final Pattern WORKFLOW = id("Microsoft\\.Logic/workflows/([^/]+)");

    static final String VM_CATEGORY = PriceSheet.VM_METER_CATEGORY;
    static final String CONTAINER_CATEGORY = "Container Instances";
    static final String APP_SERVICE_CATEGORY = "Azure App Service";
    static final String FUNCTIONS_CATEGORY = "Functions";
    static final String LOGIC_APPS_CATEGORY = "Logic Apps";
    public static final String EXECUTIONS_METER = "Total Executions";
    public static final String EXECUTION_TIME_METER = "Execution Time";

    private static final BigDecimal SECONDS_PER_HOUR = BigDecimal.valueOf(3600);
    private static final BigDecimal ONE_EXECUTION = new BigDecimal("0.000001");   // of the "1M" unit
    private static final BigDecimal MIN_SECONDS = new BigDecimal("0.1");
    private static final BigDecimal BUCKET_GB = new BigDecimal("0.125");          // 128 MB / 1024

    private final PriceSheet prices;
    private final BilledPowerStates billed;

    public EventReader(PriceSheet prices, boolean billStarting) {
        this.prices = prices;
        this.billed = new BilledPowerStates(billStarting);
    }

    public Reading read(CloudEvent event) {
        String subject = event.subject();
        Matcher m;
        if ((m = VM.matcher(subject)).matches()) {
            return vm(event, resource(event, m, "Microsoft.Compute/virtualMachines", m.group(3)));
        }
        if ((m = SCALE_SET_VM.matcher(subject)).matches()) {
            return vm(event, resource(event, m, "Microsoft.Compute/virtualMachineScaleSets/virtualMachines",
                    m.group(3) + "_" + m.group(4)));
        }
        if ((m = BATCH_NODE.matcher(subject)).matches()) {
            return vm(event, resource(event, m, "Microsoft.Batch/batchAccounts/pools/nodes",
                    m.group(3) + "/" + m.group(4) + "/" + m.group(5)));
        }
        if ((m = MANAGED_CLUSTER.matcher(subject)).matches()) {
            return cluster(event, resource(event, m, "Microsoft.ContainerService/managedClusters", m.group(3)));
        }
        if ((m = CONTAINER_GROUP.matcher(subject)).matches()) {
            return containerGroup(event, resource(event, m, "Microsoft.ContainerInstance/containerGroups", m.group(3)));
        }
        if ((m = PLAN.matcher(subject)).matches()) {
            return plan(event, resource(event, m, "Microsoft.Web/serverfarms", m.group(3)));
        }
        if (EventTypes.FUNCTION_EXECUTED.equals(event.type())) {
            m = SITE.matcher(subject);
            return m.matches() ? function(event, resource(event, m, "Microsoft.Web/sites", m.group(3)))
                    : new Rejected("subject is not a function app id (.../providers/Microsoft.Web/sites/{name})");
        }
        if (EventTypes.WORKFLOW_RUN_COMPLETED.equals(event.type())) {
            m = WORKFLOW.matcher(subject);
            return m.matches() ? workflow(event, resource(event, m, "Microsoft.Logic/workflows", m.group(3)))
                    : new Rejected("subject is not a workflow id (.../providers/Microsoft.Logic/workflows/{name})");
        }
        return new NotMetered("no billing meter for " + event.type() + " on " + subject);
    }

    private Reading vm(CloudEvent event, Resource r) {
        boolean ends = endsResource(event.type());
        String powerState = text(event.data(), "powerState");
        if (ends || !billed.isBilled(powerState)) {
            return transition(event, r, ends, List.of(), null);
        }
        String size = text(event.data(), "vmSize");
        if (size == null || r.location() == null) {
            return transition(event, r, false, List.of(), "missing field " + (size == null ? "vmSize" : "location")
                    + ": the " + powerState + " resource cannot be priced and is not metered from " + event.time());
        }
        Optional<PriceSheet.VmRate> rate = prices.vmRate(size, r.location());
        if (rate.isEmpty()) {
            return transition(event, r, false, List.of(), "unknown meter: the price sheet has no VM size '" + size
                    + "'; the resource is not metered from " + event.time());
        }
        return transition(event, r, false, List.of(new Rate(VM_CATEGORY, rate.get().size(), PriceSheet.VM_UNIT,
                rate.get().perHour(), BigDecimal.ONE)), null);
    }

    private Reading containerGroup(CloudEvent event, Resource r) {
        boolean ends = endsResource(event.type());
        if (ends || !"Running".equalsIgnoreCase(text(event.data(), "state"))) {
            return transition(event, r, ends, List.of(), null);
        }
        BigDecimal cpu = decimal(event.data(), "cpu");
        BigDecimal memory = decimal(event.data(), "memoryInGB");
        if (cpu == null || memory == null || cpu.signum() <= 0 || memory.signum() <= 0) {
            return transition(event, r, false, List.of(), "missing or non-positive field "
                    + (cpu == null || cpu.signum() <= 0 ? "cpu" : "memoryInGB")
                    + ": the running container group cannot be priced and is not metered from " + event.time());
        }
        PriceSheet.ContainerInstances ci = prices.containerInstances();
        return transition(event, r, false, List.of(
                new Rate(CONTAINER_CATEGORY, "vCPU Duration", "1 vCPU Second", ci.perVcpuSecond(),
                        cpu.multiply(SECONDS_PER_HOUR)),
                new Rate(CONTAINER_CATEGORY, "Memory Duration", "1 GB Second", ci.perGbSecond(),
                        memory.multiply(SECONDS_PER_HOUR))), null);
    }

    private Reading cluster(CloudEvent event, Resource r) {
        boolean ends = endsResource(event.type());
        if (ends || !"Running".equalsIgnoreCase(text(event.data(), "powerState"))) {
            return transition(event, r, ends, List.of(), null);
        }
        String tier = text(event.data(), "tier");
        if (tier == null) {
            return transition(event, r, false, List.of(), "missing field tier: the running cluster cannot be priced "
                    + "and is not metered from " + event.time());
        }
        return prices.clusterTier(tier)
                .map(t -> transition(event, r, false, List.of(new Rate(PriceSheet.KUBERNETES_METER_CATEGORY,
                        t.getKey() + " Cluster Management", "1 Hour", t.getValue(), BigDecimal.ONE)), null))
                .orElseGet(() -> transition(event, r, false, List.of(), "unknown meter: the price sheet has no AKS tier '"
                        + tier + "'; the cluster is not metered from " + event.time()));
    }

    private Reading plan(CloudEvent event, Resource r) {
        boolean ends = endsResource(event.type());
        if (ends) {
            return transition(event, r, true, List.of(), null);
        }
        String sku = text(event.data(), "skuName");
        JsonNode capacity = event.data() == null ? null : event.data().get("capacity");
        if (sku == null || capacity == null || !capacity.isIntegralNumber() || capacity.asLong() < 0) {
            return transition(event, r, false, List.of(), "missing or negative field "
                    + (sku == null ? "skuName" : "capacity") + ": the plan is not metered from " + event.time());
        }
        if (CONSUMPTION_PLAN_SKU.equalsIgnoreCase(sku)) {
            // a Consumption plan has no instances of its own to pay for: its apps' executions are the bill
            // (serverless publishes them without serverFarmId, see function() below)
            return transition(event, r, false, List.of(), null);
        }
        for (Map.Entry<String, PriceSheet.TierPrice> tier : prices.appService().tiers().entrySet()) {
            if (tier.getKey().equalsIgnoreCase(sku)) {
                return transition(event, r, false, capacity.asLong() == 0 ? List.of() : List.of(new Rate(
                        APP_SERVICE_CATEGORY, tier.getKey(), "1 Hour", tier.getValue().perInstanceHour(),
                        BigDecimal.valueOf(capacity.asLong()))), null);
            }
        }
        return transition(event, r, false, List.of(), "unknown meter: the price sheet has no App Service tier '" + sku
                + "'; the plan is not metered from " + event.time());
    }

    private Reading function(CloudEvent event, Resource r) {
        JsonNode duration = event.data() == null ? null : event.data().get("durationMs");
        JsonNode memory = event.data() == null ? null : event.data().get("memoryMb");
        if (duration == null || !duration.isIntegralNumber()) {
            return new Rejected("missing or non-integer field durationMs");
        }
        if (duration.asLong() < 0) {
            return new Rejected("negative duration: durationMs " + duration.asLong());
        }
        if (memory == null || !memory.isIntegralNumber() || memory.asLong() <= 0) {
            return new Rejected("missing or non-positive field memoryMb");
        }
        if (r.subscriptionId() == null) {
            return new Rejected("missing field subscriptionId");
        }
        String plan = text(event.data(), "serverFarmId");
        if (plan != null) {
            return new NotMetered("the function app runs on the dedicated plan " + plan
                    + ", which is billed per instance-second; its executions are not metered");
        }
        long buckets = (Math.max(memory.asLong(), 128) + 127) / 128;
        BigDecimal seconds = BigDecimal.valueOf(duration.asLong()).movePointLeft(3).max(MIN_SECONDS);
        BigDecimal gbSeconds = BUCKET_GB.multiply(BigDecimal.valueOf(buckets)).multiply(seconds);
        return new Executions(r, day(event), List.of(
                new Quantity(FUNCTIONS_CATEGORY, EXECUTIONS_METER, "1M", ONE_EXECUTION),
                new Quantity(FUNCTIONS_CATEGORY, EXECUTION_TIME_METER, "1 GB Second", gbSeconds)));
    }

    private Reading workflow(CloudEvent event, Resource r) {
        String[] fields = {"triggerExecutions", "builtInActions", "standardConnectorActions", "enterpriseConnectorActions"};
        long[] counts = new long[fields.length];
        for (int i = 0; i < fields.length; i++) {
            JsonNode n = event.data() == null ? null : event.data().get(fields[i]);
            if (n == null || !n.isIntegralNumber()) {
                return new Rejected("missing or non-integer field " + fields[i]);
            }
            if (n.asLong() < 0) {
                return new Rejected("negative count: " + fields[i] + " " + n.asLong());
            }
            counts[i] = n.asLong();
        }
        List<Quantity> q = new ArrayList<>();
        add(q, "Consumption Built-in Actions", counts[0] + counts[1]);
        add(q, "Consumption Standard Connector Actions", counts[2]);
        add(q, "Consumption Enterprise Connector Actions", counts[3]);
        return new Executions(r, day(event), q);
    }

    private static void add(List<Quantity> q, String meter, long count) {
        if (count > 0) {
            q.add(new Quantity(LOGIC_APPS_CATEGORY, meter, "1 Execution", BigDecimal.valueOf(count)));
        }
    }

    private static Transition transition(CloudEvent event, Resource r, boolean ends, List<Rate> rates, String problem) {
        return new Transition(r, event.type(), event.time().truncatedTo(ChronoUnit.MILLIS), ends, rates, problem);
    }

    private static boolean endsResource(String type) {
        return type.endsWith("Deleted") || type.equals(EventTypes.VM_ALLOCATION_FAILED);
    }

    private static LocalDate day(CloudEvent event) {
        return LocalDate.ofInstant(event.time(), ZoneOffset.UTC);
    }

    /** The resource named by the subject; names from the data when given (they carry the user's casing too). */
    private static Resource resource(CloudEvent event, Matcher m, String type, String name) {
        String subscription = Optional.ofNullable(text(event.data(), "subscriptionId")).orElse(m.group(1));
        String group = Optional.ofNullable(text(event.data(), "resourceGroup")).orElse(m.group(2));
        return new Resource(event.key(), event.subject(), type, subscription, group, name,
                PriceSheet.normaliseLocation(text(event.data(), "location")));
    }

    private static Pattern id(String rest) {
        return Pattern.compile(ID + rest, Pattern.CASE_INSENSITIVE);
    }

    private static String text(JsonNode data, String field) {
        JsonNode value = data == null ? null : data.get(field);
        return value != null && value.isString() && !value.asString().isEmpty() ? value.asString() : null;
    }

    /** Exact: the consumer reads JSON numbers as BigDecimal, so 1.5 stays 1.5 (never a double). */
    private static BigDecimal decimal(JsonNode data, String field) {
        JsonNode value = data == null ? null : data.get(field);
        return value == null || !value.isNumber() ? null : value.decimalValue();
    }
}
