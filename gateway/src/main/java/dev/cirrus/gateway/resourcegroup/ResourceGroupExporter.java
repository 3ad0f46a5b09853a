package dev.cirrus.gateway.resourcegroup;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.cirrus.gateway.provider.ProviderRegistry;
import dev.cirrus.gateway.resourceindex.ResourceIndex;
import dev.cirrus.gateway.routing.ServiceEndpoints;
import dev.cirrus.plumbing.arm.ArmException;
import dev.cirrus.plumbing.security.ServiceCredential;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST …/resourcegroups/{rg}/exportTemplate}: the group's resources as a deployment template, ARM's
 * {@code ResourceGroupExportResult} {@code {template, error?}}. Every resource the {@link ResourceIndex} places in the
 * group (or those of the request's {@code resources}, ids or {@code "*"}) is read from its owning service, as the
 * gateway routes a GET, and written as a template resource: type, the registry's api-version, name, location, kind,
 * sku, identity, plan, zones, tags and properties without what a service computes ({@link #READ_ONLY}). Names become
 * parameters {@code {type}_{name}_name} ({@code String}; with a {@code defaultValue} under
 * {@code IncludeParameterDefaultValue}) unless {@code SkipResourceNameParameterization} or
 * {@code SkipAllParameterization} is asked. A resource its service cannot give (refusal, unreachable) is left out
 * and named in {@code error} ({@code ExportTemplateCompletedWithErrors}), as ARM reports a partial export; child
 * resources (a function app's functions) are not exported.
 */
@Component
class ResourceGroupExporter {

    static final String SCHEMA = "https://schema.management.azure.com/schemas/2015-01-01/deploymentTemplate.json#";
    static final Set<String> OPTIONS = Set.of("includeparameterdefaultvalue", "includecomments",
            "skipresourcenameparameterization", "skipallparameterization");
    /** Properties a service computes and a deployment could not set. */
    static final Set<String> READ_ONLY = Set.of("provisioningState", "instanceView", "vmId", "timeCreated",
            "defaultHostName", "enabledHostNames", "hostNames", "state", "availabilityState", "usageState",
            "lastModifiedTimeUtc");
    private static final int PAGE = 1000;

    private final ResourceGroupService groups;
    private final ResourceIndex index;
    private final ServiceEndpoints services;
    private final ProviderRegistry registry;
    private final ServiceCredential credential;
    private final ResourceGroupDeletionProperties timeouts;
    private final ObjectMapper json;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    ResourceGroupExporter(ResourceGroupService groups, ResourceIndex index, ServiceEndpoints services,
                          ProviderRegistry registry, ServiceCredential credential,
                          ResourceGroupDeletionProperties timeouts, ObjectMapper json) {
        this.groups = groups;
        this.index = index;
        this.services = services;
        this.registry = registry;
        this.credential = credential;
        this.timeouts = timeouts;
        this.json = json;
    }

    /** What the request asks: which resources (null for all) and how. */
    record Request(Set<String> resourceIds, boolean parameterizeNames, boolean defaultValues) {

        static Request parse(JsonNode body) {
            if (body == null || !body.isObject()) {
                throw ArmException.badRequest("InvalidRequestContent",
                        "The request content must be an object with 'resources' and optional 'options'.", null);
            }
            JsonNode resources = body.get("resources");
            if (resources == null || !resources.isArray() || resources.isEmpty()) {
                throw ArmException.badRequest("InvalidRequestContent", "'resources' must be an array of resource "
                        + "ids, or [\"*\"] to export every resource of the group.", "resources");
            }
            Set<String> ids = new HashSet<>();
            boolean all = false;
            for (JsonNode id : resources) {
                if (!id.isString() || id.asString().isBlank()) {
                    throw ArmException.badRequest("InvalidRequestContent",
                            "Every entry of 'resources' must be a resource id or \"*\".", "resources");
                }
                if (id.asString().equals("*")) {
                    all = true;
                } else {
                    ids.add(id.asString().toLowerCase(Locale.ROOT));
                }
            }
            Set<String> options = new HashSet<>();
            JsonNode optionsNode = body.get("options");
            if (optionsNode != null && !optionsNode.isNull()) {
                if (!optionsNode.isString()) {
                    throw ArmException.badRequest("InvalidRequestContent", "'options' must be a string of "
                            + "comma-separated export options.", "options");
                }
                for (String option : optionsNode.asString().split(",")) {
                    String o = option.trim().toLowerCase(Locale.ROOT);
                    if (o.isEmpty()) {
                        continue;
                    }
                    if (!OPTIONS.contains(o)) {
                        throw ArmException.badRequest("InvalidRequestContent", "The export option '" + option.trim()
                                + "' is not one of IncludeParameterDefaultValue, IncludeComments, "
                                + "SkipResourceNameParameterization, SkipAllParameterization.", "options");
                    }
                    options.add(o);
                }
            }
            boolean parameterize = !options.contains("skipresourcenameparameterization")
                    && !options.contains("skipallparameterization");
            return new Request(all ? null : ids, parameterize, options.contains("includeparameterdefaultvalue"));
        }
    }

    /** Blocking: reads the group's resources from their services. */
    Map<String, Object> export(String subscriptionId, String groupName, Request request) {
        ResourceGroup group = groups.get(subscriptionId, groupName);
        List<ResourceIndex.Entry> chosen = new ArrayList<>();
        Set<String> found = new HashSet<>();
        String after = null;
        while (true) {
            List<ResourceIndex.Entry> page = index.list(subscriptionId, group.name(), null, after, PAGE);
            for (ResourceIndex.Entry entry : page) {
                String key = entry.id().toLowerCase(Locale.ROOT);
                if (request.resourceIds() == null || request.resourceIds().contains(key)) {
                    chosen.add(entry);
                    found.add(key);
                }
            }
            if (page.size() < PAGE) {
                break;
            }
            after = page.getLast().id().toLowerCase(Locale.ROOT);
        }
        if (request.resourceIds() != null) {
            for (String id : request.resourceIds()) {
                if (!found.contains(id)) {
                    throw ArmException.badRequest("InvalidRequestContent", "The resource '" + id
                            + "' is not in the resource group '" + group.name() + "'.", "resources");
                }
            }
        }
        ObjectNode parameters = json.createObjectNode();
        ArrayNode resources = json.createArrayNode();
        List<Map<String, Object>> failures = new ArrayList<>();
        for (ResourceIndex.Entry entry : chosen) {
            String version = apiVersion(entry.type());
            JsonNode definition;
            try {
                definition = read(entry, version);
            } catch (ExportFailure e) {
                failures.add(Map.of("code", e.code, "message", e.getMessage(), "target", entry.id()));
                continue;
            }
            ObjectNode resource = resources.addObject();
            resource.put("type", entry.type());
            resource.put("apiVersion", version);
            if (request.parameterizeNames()) {
                String parameter = parameterName(entry.type(), entry.name());
                ObjectNode declared = parameters.putObject(parameter);
                if (request.defaultValues()) {
                    declared.put("defaultValue", entry.name());
                }
                declared.put("type", "String");
                resource.put("name", "[parameters('" + parameter + "')]");
            } else {
                resource.put("name", entry.name());
            }
            for (String field : List.of("location", "kind", "sku", "identity", "plan", "zones")) {
                JsonNode value = definition.get(field);
                if (value != null && !value.isNull()) {
                    resource.set(field, value);
                }
            }
            JsonNode tags = definition.get("tags");
            if (tags != null && tags.isObject() && !tags.isEmpty()) {
                resource.set("tags", tags);
            }
            ObjectNode properties = json.createObjectNode();
            JsonNode given = definition.get("properties");
            if (given != null && given.isObject()) {
                given.properties().forEach(p -> {
                    if (!READ_ONLY.contains(p.getKey())) {
                        properties.set(p.getKey(), p.getValue());
                    }
                });
            }
            resource.set("properties", properties);
        }
        ObjectNode template = json.createObjectNode();
        template.put("$schema", SCHEMA);
        template.put("contentVersion", "1.0.0.0");
        template.set("parameters", parameters);
        template.putObject("variables");
        template.set("resources", resources);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("template", template);
        if (!failures.isEmpty()) {
            result.put("error", Map.of("code", "ExportTemplateCompletedWithErrors",
                    "message", "Export template operation completed with errors. Some resources were not exported.",
                    "details", failures));
        }
        return result;
    }

    /** {@code virtualMachines_cli_vm1_name}: the type's last segment and the name, with anything else as '_'. */
    static String parameterName(String type, String name) {
        String last = type.substring(type.lastIndexOf('/') + 1);
        return (last + "_" + name + "_name").replaceAll("[^A-Za-z0-9_]", "_");
    }

    private String apiVersion(String type) {
        String[] parts = type.split("/", 2);
        return registry.type(parts[0], parts[1]).map(t -> t.apiVersions().getFirst())
                // a type the registry does not list: its namespace's service still checks only the shape
                .orElse("2024-07-01");
    }

    private JsonNode read(ResourceIndex.Entry entry, String version) {
        URI base = services.byModule().get(entry.owner());
        if (base == null) {
            throw new ExportFailure("ServiceUnavailable", "No service '" + entry.owner() + "' serves this resource.");
        }
        URI uri = UriComponentsBuilder.fromUri(base).path(entry.id()).queryParam("api-version", version).build()
                .encode().toUri();
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).GET()
                            .timeout(timeouts.requestTimeout()).header(ServiceCredential.HEADER, credential.value()).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                JsonNode error = readOrNull(response.body());
                String code = error == null ? null : error.path("error").path("code").asString(null);
                throw new ExportFailure(code == null ? "ResourceReadFailed" : code, "The resource could not be read: "
                        + entry.owner() + " answered " + response.statusCode() + ".");
            }
            JsonNode body = readOrNull(response.body());
            if (body == null || !body.isObject()) {
                throw new ExportFailure("ResourceReadFailed", "The resource could not be read: " + entry.owner()
                        + " answered no resource.");
            }
            return body;
        } catch (IOException e) {
            throw new ExportFailure("ServiceUnavailable", "The resource could not be read: " + entry.owner()
                    + " is unreachable.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExportFailure("ServiceUnavailable", "Interrupted while reading the resource.");
        }
    }

    private JsonNode readOrNull(String body) {
        try {
            return body == null || body.isBlank() ? null : json.readTree(body);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static final class ExportFailure extends RuntimeException {
        final String code;

        ExportFailure(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }
}
