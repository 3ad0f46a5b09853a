package dev.cirrus.gateway.identity;

import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import dev.cirrus.gateway.authorization.RoleAssignments;
import dev.cirrus.gateway.authorization.RoleDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * First start: the default tenant, the default subscription and the administrator service principal (Owner at the
 * root scope {@code /}, so it may also create subscriptions and principals). What {@link IdentityProperties} does
 * not fix is taken from {@code credentials.json} when it exists, else generated; the result is upserted (a fresh
 * database with an old data folder gets the same identities back), logged, and written to
 * {@code {data-dir}/credentials.json} as {@code {tenantId, subscriptionId, clientId, clientSecret, tokenUrl}} once the
 * HTTP port is known.
 */
@Component
class IdentityBootstrap implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(IdentityBootstrap.class);
    /** The administrator's role assignment at the root scope has a fixed name, so a restart does not add another. */
    static final String ADMIN_ASSIGNMENT = "4c6f1b8e-0c9a-4d7e-9a7e-3f2c1d0b9a01";

    private final GatewayData data;
    private final IdentityProperties properties;
    private final Directory directory;
    private final RoleAssignments assignments;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final ObjectMapper json;
    private volatile Admin admin;

    /** The administrator's identities and secret. */
    record Admin(String tenantId, String subscriptionId, String clientId, String objectId, String clientSecret) {
    }

    IdentityBootstrap(GatewayData data, IdentityProperties properties, Directory directory,
                      RoleAssignments assignments, TransactionTemplate tx, Clock clock, ObjectMapper json) {
        this.data = data;
        this.properties = properties;
        this.directory = directory;
        this.assignments = assignments;
        this.tx = tx;
        this.clock = clock;
        this.json = json;
    }

    @Override
    public void afterPropertiesSet() {
        JsonNode saved = readSaved();
        String tenant = first(properties.tenantId(), saved, "tenantId");
        String subscription = first(properties.subscriptionId(), saved, "subscriptionId");
        String clientId = first(properties.adminClientId(), saved, "clientId");
        String secret = properties.adminClientSecret() != null ? properties.adminClientSecret()
                : saved.path("clientSecret").asString(null);
        if (secret == null) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        }
        String finalSecret = secret;
        Instant now = clock.instant();
        Admin a = tx.execute(status -> {
            directory.ensureTenant(tenant, "Cirrus", now);
            if (!directory.putSubscription(subscription, tenant, "Cirrus default subscription", now)) {
                throw new IllegalStateException("subscription " + subscription + " belongs to another tenant");
            }
            String objectId = directory.principalByAppId(clientId).map(Directory.Principal::objectId)
                    .orElse(UUID.randomUUID().toString());
            directory.putPrincipal(new Directory.Principal(objectId, clientId, tenant, "cirrus-admin"), finalSecret, now);
            assignments.insert(new RoleAssignments.RoleAssignment("/", ADMIN_ASSIGNMENT, RoleDefinition.OWNER.id(),
                    objectId, "ServicePrincipal", "Cirrus administrator", now, null));
            return new Admin(tenant, subscription, clientId, objectId, finalSecret);
        });
        this.admin = a;
        log.info("Cirrus identity: tenant {}, default subscription {}, administrator client id {} (object id {}); "
                + "its secret is in {}", a.tenantId(), a.subscriptionId(), a.clientId(), a.objectId(),
                data.credentialsFile());
    }

    Admin admin() {
        return admin;
    }

    /** Writes credentials.json with the token URL of the plain HTTP port the server actually listens on. */
    @EventListener
    void writeCredentials(WebServerInitializedEvent event) {
        if (event.getApplicationContext().getServerNamespace() != null) {
            return; // a management server, not the gateway's port
        }
        Admin a = admin;
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("tenantId", a.tenantId());
        file.put("subscriptionId", a.subscriptionId());
        file.put("clientId", a.clientId());
        file.put("clientSecret", a.clientSecret());
        file.put("tokenUrl", "http://127.0.0.1:" + event.getWebServer().getPort() + "/" + a.tenantId()
                + "/oauth2/v2.0/token");
        file.put("scope", "https://management.azure.com/.default");
        GatewayData.write(data.credentialsFile(), json.writerWithDefaultPrettyPrinter().writeValueAsBytes(file), true);
    }

    private JsonNode readSaved() {
        try {
            if (Files.isRegularFile(data.credentialsFile())) {
                return json.readTree(Files.readAllBytes(data.credentialsFile()));
            }
        } catch (Exception e) {
            log.warn("ignoring unreadable {}: {}", data.credentialsFile(), e.toString());
        }
        return json.createObjectNode();
    }

    private static String first(String configured, JsonNode saved, String field) {
        if (configured != null) {
            return configured;
        }
        String value = saved.path(field).asString(null);
        return value != null && dev.cirrus.gateway.arm.ArmPath.isGuid(value) ? value.toLowerCase()
                : UUID.randomUUID().toString();
    }
}
