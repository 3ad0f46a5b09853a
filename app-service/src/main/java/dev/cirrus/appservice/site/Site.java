package dev.cirrus.appservice.site;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import dev.cirrus.contracts.arm.ArmErrorException;
import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.contracts.events.WebAppData;
import tools.jackson.databind.node.ObjectNode;

/**
 * A web app: {@code Microsoft.Web/sites} of kind {@code app}, {@code api} or {@code mobileapp} (and their Linux
 * variants, {@code app,linux}), on an App Service plan of this service. Plain data; each transition checks the current
 * state and returns the next site with the events it causes (saving both in one transaction is {@link Sites}'s job):
 * <pre>
 *   create ─► Running ──stop──► Stopped ──start──► Running       (WebAppWritten / WebAppStopped / WebAppStarted)
 *   update (PUT, PATCH, config/web, config/appsettings, …)         WebAppWritten, only when something changed
 *   deployed (a zip deployment ended)                               WebAppDeployed
 *   delete ─► (gone)                                                WebAppDeleted
 * </pre>
 * A restart changes nothing the resource shows: its processes are replaced ({@code runtime/SiteInstances}).
 *
 * @param key                the ARM id in lower case
 * @param siteConfig         {@code properties.siteConfig} as data (linuxFxVersion, alwaysOn, healthCheckPath, …)
 *                           without appSettings and connectionStrings, which are kept apart
 * @param publishingPassword the password of the site's publishing user {@code $name} (Kudu's Basic credentials)
 * @param activeDeployment   the Kudu id of the deployment that serves, or null before the first one
 */
public record Site(String key, String resourceId, String subscriptionId, String resourceGroup, String name,
                   String location, String kind, String serverFarmId, String state, boolean httpsOnly,
                   boolean clientAffinityEnabled, ObjectNode siteConfig, Map<String, String> appSettings,
                   Map<String, ConnectionString> connectionStrings, SlotConfigNames slotConfigNames,
                   boolean scmBasicAuth, boolean ftpBasicAuth, String publishingPassword, Map<String, String> tags,
                   String activeDeployment, Instant createdAt, Instant lastModified, String etag) {

    public static final String RUNNING = "Running";
    public static final String STOPPED = "Stopped";

    /** A connection string: its value and type ({@code SQLAzure}, {@code MySql}, {@code Custom}, …). */
    public record ConnectionString(String value, String type) {
    }

    /** The settings that stay with a slot in a swap ({@code config/slotConfigNames}). */
    public record SlotConfigNames(List<String> appSettingNames, List<String> connectionStringNames) {
        public static final SlotConfigNames NONE = new SlotConfigNames(List.of(), List.of());

        public SlotConfigNames {
            appSettingNames = List.copyOf(appSettingNames);
            connectionStringNames = List.copyOf(connectionStringNames);
        }
    }

    /** What a PUT, PATCH or configuration write asks for, checked ({@link Sites}). */
    public record Desired(String kind, String serverFarmId, boolean httpsOnly, boolean clientAffinityEnabled,
                         ObjectNode siteConfig, Map<String, String> appSettings,
                         Map<String, ConnectionString> connectionStrings, SlotConfigNames slotConfigNames,
                         boolean scmBasicAuth, boolean ftpBasicAuth, Map<String, String> tags) {
    }

    /** An event a transition caused: its type ({@code EventTypes.WEB_APP_*}), subject (the site's id) and data. */
    public record Event(String type, String subject, Instant time, WebAppData data) {
    }

    /** The next site and the events the transition caused (none when nothing changed). */
    public record Transition(Site site, List<Event> events) {
    }

    public Site {
        Objects.requireNonNull(resourceId);
        appSettings = Collections.unmodifiableMap(new LinkedHashMap<>(appSettings));
        connectionStrings = Collections.unmodifiableMap(new LinkedHashMap<>(connectionStrings));
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }

    /** A new, running site. Causes WebAppWritten. */
    public static Transition create(String resourceId, String subscriptionId, String resourceGroup, String name,
                                    String location, Desired d, String publishingPassword, Instant now, String etag) {
        Site site = new Site(resourceId.toLowerCase(Locale.ROOT), resourceId, subscriptionId, resourceGroup, name,
                location, d.kind(), d.serverFarmId(), RUNNING, d.httpsOnly(), d.clientAffinityEnabled(),
                d.siteConfig(), d.appSettings(), d.connectionStrings(), d.slotConfigNames(), d.scmBasicAuth(),
                d.ftpBasicAuth(), publishingPassword, d.tags(), null, now, now, etag);
        return new Transition(site, List.of(site.event(EventTypes.WEB_APP_WRITTEN, now, null, null)));
    }

    /**
     * The desired settings applied; the location never changes (409 {@code InvalidResourceLocation}, as for every
     * ARM resource). Causes WebAppWritten when anything changed.
     *
     * @param location the location a PUT names (ARM name), or null for a write that names none
     */
    public Transition update(String location, Desired d, Instant now, String newEtag) {
        if (location != null && !location.equals(this.location)) {
            throw new ArmErrorException(409, "InvalidResourceLocation", "The resource '" + name + "' already exists "
                    + "in location '" + this.location + "' in resource group '" + resourceGroup + "'. A resource with "
                    + "the same name cannot be created in location '" + location + "'. Please select a new resource "
                    + "name.", "location");
        }
        Site next = new Site(key, resourceId, subscriptionId, resourceGroup, name, this.location, d.kind(),
                d.serverFarmId(), state, d.httpsOnly(), d.clientAffinityEnabled(), d.siteConfig(), d.appSettings(),
                d.connectionStrings(), d.slotConfigNames(), d.scmBasicAuth(), d.ftpBasicAuth(), publishingPassword,
                d.tags(), activeDeployment, createdAt, lastModified, etag);
        if (next.equals(this)) {
            return new Transition(this, List.of());
        }
        Site changed = next.touched(state, now, newEtag);
        return new Transition(changed, List.of(changed.event(EventTypes.WEB_APP_WRITTEN, now, null, null)));
    }

    /** Stops a running site (its host answers 403, its processes end). A stopped site stays as it is. */
    public Transition stop(Instant now, String newEtag) {
        if (!running()) {
            return new Transition(this, List.of());
        }
        Site next = touched(STOPPED, now, newEtag);
        return new Transition(next, List.of(next.event(EventTypes.WEB_APP_STOPPED, now, null, null)));
    }

    /** Starts a stopped site. A running site stays as it is. */
    public Transition start(Instant now, String newEtag) {
        if (running()) {
            return new Transition(this, List.of());
        }
        Site next = touched(RUNNING, now, newEtag);
        return new Transition(next, List.of(next.event(EventTypes.WEB_APP_STARTED, now, null, null)));
    }

    /** A deployment ended: on success its content serves from now on; a failed one leaves the site as it was. */
    public Transition deployed(String deploymentId, boolean succeeded, Instant now) {
        Site next = succeeded ? new Site(key, resourceId, subscriptionId, resourceGroup, name, location, kind,
                serverFarmId, state, httpsOnly, clientAffinityEnabled, siteConfig, appSettings, connectionStrings,
                slotConfigNames, scmBasicAuth, ftpBasicAuth, publishingPassword, tags, deploymentId, createdAt, now,
                etag) : this;
        return new Transition(next, List.of(next.event(EventTypes.WEB_APP_DEPLOYED, now, deploymentId,
                succeeded ? "Success" : "Failed")));
    }

    /** The site is gone with its content and processes. Causes WebAppDeleted. */
    public List<Event> delete(Instant now) {
        return List.of(new Event(isSlot() ? EventTypes.WEB_APP_SLOT_DELETED : EventTypes.WEB_APP_DELETED, resourceId,
                now, new WebAppData(subscriptionId, resourceGroup, armName(), location, kind, "Deleted", serverFarmId,
                null, null)));
    }

    public boolean running() {
        return RUNNING.equals(state);
    }

    /** A deployment slot ({@code …/sites/{app}/slots/{slot}}) rather than the production app. */
    public boolean isSlot() {
        return key.contains("/slots/");
    }

    /** The production app's ARM id in lower case: this key for the app, the key before {@code /slots/} for a slot. */
    public String appKey() {
        int at = key.indexOf("/slots/");
        return at < 0 ? key : key.substring(0, at);
    }

    /** The app's name ({@code web1} for the app and for its slot {@code web1/slots/staging}). */
    public String appName() {
        String id = isSlot() ? resourceId.substring(0, key.indexOf("/slots/")) : resourceId;
        return id.substring(id.lastIndexOf('/') + 1);
    }

    /** The slot's name, or {@code production} for the app itself. */
    public String slotName() {
        return isSlot() ? resourceId.substring(resourceId.lastIndexOf('/') + 1) : "production";
    }

    /** The name ARM shows: {@code web1}, or {@code web1/staging} for a slot. */
    public String armName() {
        return isSlot() ? appName() + "/" + slotName() : name;
    }

    /**
     * The content and the settings a swap gives this site: another deployment, site configuration, app settings and
     * connection strings (its identity, host name, state and plan stay). Causes no event of its own: the swap's
     * {@code WebAppSlotsSwapped} tells it.
     */
    public Site exchanged(String deploymentId, ObjectNode config, Map<String, String> settings,
                          Map<String, ConnectionString> strings, Instant now, String newEtag) {
        return new Site(key, resourceId, subscriptionId, resourceGroup, name, location, kind, serverFarmId, state,
                httpsOnly, clientAffinityEnabled, config, settings, strings, slotConfigNames, scmBasicAuth,
                ftpBasicAuth, publishingPassword, tags, deploymentId, createdAt, now, newEtag);
    }

    /** A Linux app ({@code kind} names linux): {@code properties.reserved}. */
    public boolean linux() {
        return kind.toLowerCase(Locale.ROOT).contains("linux");
    }

    /** The desired settings as they are now: the base of a write that changes only some. */
    public Desired desired() {
        return new Desired(kind, serverFarmId, httpsOnly, clientAffinityEnabled, siteConfig, appSettings,
                connectionStrings, slotConfigNames, scmBasicAuth, ftpBasicAuth, tags);
    }

    private Site touched(String newState, Instant now, String newEtag) {
        return new Site(key, resourceId, subscriptionId, resourceGroup, name, location, kind, serverFarmId, newState,
                httpsOnly, clientAffinityEnabled, siteConfig, appSettings, connectionStrings, slotConfigNames,
                scmBasicAuth, ftpBasicAuth, publishingPassword, tags, activeDeployment, createdAt, now, newEtag);
    }

    private Event event(String type, Instant now, String deploymentId, String deploymentStatus) {
        return new Event(isSlot() ? slotType(type) : type, resourceId, now, new WebAppData(subscriptionId,
                resourceGroup, armName(), location, kind, state, serverFarmId, deploymentId, deploymentStatus));
    }

    /** A slot's events have types of their own (the gateway indexes web apps by {@code WebApp*}, not their slots). */
    private static String slotType(String type) {
        return switch (type) {
            case EventTypes.WEB_APP_WRITTEN -> EventTypes.WEB_APP_SLOT_WRITTEN;
            case EventTypes.WEB_APP_STARTED -> EventTypes.WEB_APP_SLOT_STARTED;
            case EventTypes.WEB_APP_STOPPED -> EventTypes.WEB_APP_SLOT_STOPPED;
            case EventTypes.WEB_APP_DELETED -> EventTypes.WEB_APP_SLOT_DELETED;
            case EventTypes.WEB_APP_DEPLOYED -> EventTypes.WEB_APP_SLOT_DEPLOYED;
            default -> type;
        };
    }
}
