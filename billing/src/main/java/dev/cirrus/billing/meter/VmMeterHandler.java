package dev.cirrus.billing.meter;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.cirrus.billing.BillingProperties;
import dev.cirrus.billing.price.PriceSheet;
import dev.cirrus.contracts.events.CloudEvent;
import dev.cirrus.plumbing.events.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Applies one event of {@code cirrus.compute.vm} to the VM's meter: load (locked), record, save. Runs inside the
 * inbox transaction, so the meter moves exactly once per event id.
 *
 * <p>Nothing here throws for a bad event, since retrying it would never succeed and would hold up the VM's later
 * events: another resource type on the topic is skipped; a VM event without the facts of a price (size, location)
 * still closes the open interval, and the missing price is logged as an error.
 */
@Component
class VmMeterHandler implements EventHandler {

    private static final Logger log = LoggerFactory.getLogger(VmMeterHandler.class);

    /** A VM's ARM id (not a scale-set instance, whose id nests under virtualMachineScaleSets). */
    private static final Pattern VM_ID = Pattern.compile(
            "/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\\.Compute/virtualMachines/([^/]+)",
            Pattern.CASE_INSENSITIVE);
    private static final String VM_EVENT_PREFIX = "Microsoft.Compute.VirtualMachine";
    private static final String SCALE_SET_EVENT_PREFIX = "Microsoft.Compute.VirtualMachineScaleSet";

    private final VmMeterRepository meters;
    private final PriceSheet prices;
    private final BilledPowerStates billed;

    VmMeterHandler(VmMeterRepository meters, PriceSheet prices, BillingProperties properties) {
        this.meters = meters;
        this.prices = prices;
        this.billed = new BilledPowerStates(properties.vm().billStarting());
    }

    @Override
    public void handle(CloudEvent event) {
        Matcher id = VM_ID.matcher(event.subject());
        if (!id.matches() || !event.type().startsWith(VM_EVENT_PREFIX) || event.type().startsWith(SCALE_SET_EVENT_PREFIX)) {
            log.debug("not a VM event, not metered: {} {}", event.type(), event.subject());
            return;
        }
        JsonNode data = event.data();
        // the fields of VmLifecycleData that billing needs, read one by one: a field billing does not use (vcpus,
        // host...) missing or malformed must not stop a VM from being metered
        VmTransition t = new VmTransition(event.id(), event.type(), event.subject(), event.time(),
                text(data, "subscriptionId", id.group(1)), text(data, "resourceGroup", id.group(2)),
                text(data, "name", id.group(3)), text(data, "location", null), text(data, "vmSize", null),
                text(data, "powerState", null));
        VmMeter meter = meters.lock(t.key());
        switch (meter.record(t, billed, prices)) {
            case MeterChange.Ignored ignored -> log.warn("ignored: {}", ignored.reason());
            case MeterChange.Applied applied -> {
                if (applied.warning() != null) {
                    log.error(applied.warning());
                }
                meters.save(t, applied);
            }
        }
    }

    private static String text(JsonNode data, String field, String fallback) {
        JsonNode value = data == null ? null : data.get(field);
        return value != null && value.isString() && !value.asString().isEmpty() ? value.asString() : fallback;
    }
}
