package dev.cirrus.gateway.authorization;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.cirrus.gateway.arm.ArmFilters;
import dev.cirrus.gateway.arm.ArmPath;
import dev.cirrus.gateway.arm.ArmRequests;
import dev.cirrus.gateway.identity.Caller;
import dev.cirrus.gateway.identity.Directory;
import dev.cirrus.gateway.support.Blocking;
import dev.cirrus.plumbing.arm.ArmException;
import dev.cirrus.gateway.support.RequestBodies;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code Microsoft.Authorization}, served by the gateway itself at any scope (the tenant root {@code /}, a
 * subscription, a resource group, a resource):
 * <ul>
 *   <li>{@code {scope}/providers/Microsoft.Authorization/roleAssignments/{name}}: PUT (201; 200 when the same
 *       assignment is put again; 409 {@code RoleAssignmentExists} when the principal already holds the role there
 *       under another name), GET, DELETE (200 with the assignment; 204 when absent);</li>
 *   <li>{@code {scope}/providers/Microsoft.Authorization/roleAssignments}: list the assignments at, above and below
 *       the scope; {@code $filter=atScope()} (at and above) and {@code $filter=principalId eq '{id}'};</li>
 *   <li>{@code {scope}/providers/Microsoft.Authorization/roleDefinitions[/{id}]}: the built-in roles.</li>
 * </ul>
 * The call was authenticated and authorized ({@code Microsoft.Authorization/roleAssignments/write} etc. at the scope)
 * by the filters before this one.
 */
@Component
class AuthorizationResources implements WebFilter, Ordered {

    static final String NAMESPACE = "Microsoft.Authorization";
    private static final Pattern PRINCIPAL_FILTER = Pattern.compile("\\s*principalId\\s+eq\\s+'([^']+)'\\s*",
            Pattern.CASE_INSENSITIVE);

    private final RoleAssignments assignments;
    private final Directory directory;
    private final Clock clock;
    private final ObjectMapper json;

    AuthorizationResources(RoleAssignments assignments, Directory directory, Clock clock, ObjectMapper json) {
        this.assignments = assignments;
        this.directory = directory;
        this.clock = clock;
        this.json = json;
    }

    @Override
    public int getOrder() {
        return ArmFilters.AUTHORIZATION_RESOURCES;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ArmPath path = ArmRequests.path(exchange);
        List<String> s = path.segments();
        int p = lastProviders(s);
        if (!path.isArm() || p < 0 || p + 2 >= s.size() || !s.get(p + 1).equalsIgnoreCase(NAMESPACE)) {
            return chain.filter(exchange);
        }
        String scope = p == 0 ? "/" : "/" + String.join("/", s.subList(0, p));
        String type = s.get(p + 2).toLowerCase(Locale.ROOT);
        String name = p + 3 < s.size() ? s.get(p + 3) : null;
        if (p + 4 < s.size() || !type.equals("roleassignments") && !type.equals("roledefinitions")) {
            return Mono.error(ArmException.badRequest("InvalidResourceType", "The resource type '" + NAMESPACE + "/"
                    + s.get(p + 2) + "' is not served by Cirrus. Supported: roleAssignments, roleDefinitions.", null));
        }
        HttpMethod method = exchange.getRequest().getMethod();
        Caller caller = Caller.of(exchange).orElseThrow();
        if (type.equals("roledefinitions")) {
            if (method != HttpMethod.GET) {
                return Mono.error(ArmException.badRequest("OperationNotAllowed",
                        "Cirrus serves the built-in role definitions only; they cannot be changed.", null));
            }
            if (name == null) {
                return write(exchange, 200, Map.of("value",
                        RoleDefinition.BUILT_IN.stream().map(r -> definition(scope, r)).toList()));
            }
            return RoleDefinition.builtIn(name).map(r -> write(exchange, 200, definition(scope, r)))
                    .orElseGet(() -> Mono.error(ArmException.notFound("RoleDefinitionDoesNotExist",
                            "The role definition '" + name + "' does not exist.")));
        }
        if (name == null) {
            if (method != HttpMethod.GET) {
                return Mono.error(methodNotAllowed(method));
            }
            return Blocking.call(() -> list(scope, ArmRequests.queryValue(exchange.getRequest(), "$filter")))
                    .flatMap(body -> write(exchange, 200, body));
        }
        if (method == HttpMethod.GET) {
            return Blocking.call(() -> assignments.find(scope, name).orElseThrow(() -> notFound(name)))
                    .flatMap(a -> write(exchange, 200, assignment(a)));
        }
        if (method == HttpMethod.DELETE) {
            return Blocking.call(() -> {
                Optional<RoleAssignments.RoleAssignment> found = assignments.find(scope, name);
                found.ifPresent(a -> assignments.delete(scope, name));
                return found;
            }).flatMap(found -> found.isPresent() ? write(exchange, 200, assignment(found.get()))
                    : status(exchange, HttpStatus.NO_CONTENT));
        }
        if (method == HttpMethod.PUT) {
            return RequestBodies.bytes(exchange.getRequest())
                    .flatMap(bytes -> Blocking.call(() -> put(scope, name, bytes, caller)))
                    .flatMap(result -> write(exchange, result.created() ? 201 : 200, assignment(result.assignment())));
        }
        return Mono.error(methodNotAllowed(method));
    }

    record PutResult(RoleAssignments.RoleAssignment assignment, boolean created) {
    }

    private PutResult put(String scope, String name, byte[] bytes, Caller caller) {
        if (!ArmPath.isGuid(name)) {
            throw ArmException.badRequest("InvalidRoleAssignmentId", "The role assignment ID '" + name
                    + "' is not valid. The role assignment ID must be a GUID.", "name");
        }
        JsonNode body;
        try {
            body = bytes.length == 0 ? json.createObjectNode() : json.readTree(bytes);
        } catch (RuntimeException e) {
            throw ArmException.badRequest("InvalidRequestContent",
                    "The request content was invalid and could not be deserialized.", null);
        }
        JsonNode properties = body.path("properties");
        String roleDefinitionId = properties.path("roleDefinitionId").asString("");
        String principalId = properties.path("principalId").asString("").toLowerCase(Locale.ROOT);
        if (roleDefinitionId.isBlank()) {
            throw ArmException.badRequest("InvalidRoleDefinitionId",
                    "The role definition ID '' is not valid.", "properties.roleDefinitionId");
        }
        String roleGuid = roleDefinitionId.substring(roleDefinitionId.lastIndexOf('/') + 1);
        RoleDefinition role = RoleDefinition.builtIn(roleGuid).orElseThrow(() -> new ArmException(400,
                "RoleDefinitionDoesNotExist", "The specified role definition with ID '" + roleGuid
                + "' does not exist.", "properties.roleDefinitionId"));
        if (principalId.isBlank() || !ArmPath.isGuid(principalId)
                || directory.principal(principalId).filter(pr -> pr.tenantId().equals(caller.tenantId())).isEmpty()) {
            throw ArmException.badRequest("PrincipalNotFound", "Principal " + principalId.replace("-", "")
                    + " does not exist in the directory " + caller.tenantId() + ".", "properties.principalId");
        }
        String key = name.toLowerCase(Locale.ROOT);
        Optional<RoleAssignments.RoleAssignment> existing = assignments.find(scope, key);
        if (existing.isPresent()) {
            RoleAssignments.RoleAssignment a = existing.get();
            if (a.principalId().equals(principalId) && a.roleDefinitionId().equals(role.id())) {
                return new PutResult(a, false);
            }
            throw ArmException.conflict("RoleAssignmentUpdateNotPermitted",
                    "Tenant ID, application ID, principal ID, and scope are not allowed to be updated.");
        }
        Instant now = clock.instant();
        RoleAssignments.RoleAssignment a = new RoleAssignments.RoleAssignment(scope, key, role.id(), principalId,
                properties.path("principalType").asString("ServicePrincipal"),
                properties.path("description").asString(null), now, caller.objectId());
        if (!assignments.insert(a)) {
            throw ArmException.conflict("RoleAssignmentExists", "The role assignment already exists.");
        }
        return new PutResult(a, true);
    }

    private Map<String, Object> list(String scope, String filter) {
        List<RoleAssignments.RoleAssignment> found;
        if (filter == null || filter.isBlank()) {
            found = assignments.atScope(scope, true);
        } else if (filter.strip().equalsIgnoreCase("atScope()")) {
            found = assignments.atScope(scope, false);
        } else {
            Matcher m = PRINCIPAL_FILTER.matcher(filter);
            if (!m.matches()) {
                throw ArmException.badRequest("UnsupportedQuery", "The filter '" + filter + "' is not supported. "
                        + "Supported: atScope(), principalId eq '{id}'.", "$filter");
            }
            String principal = m.group(1).toLowerCase(Locale.ROOT);
            found = assignments.atScope(scope, true).stream().filter(a -> a.principalId().equals(principal)).toList();
        }
        return Map.of("value", found.stream().map(AuthorizationResources::assignment).toList());
    }

    static Map<String, Object> assignment(RoleAssignments.RoleAssignment a) {
        Map<String, Object> properties = new LinkedHashMap<>();
        String subscriptionScope = a.scope().startsWith("/subscriptions/")
                ? a.scope().substring(0, Math.min(a.scope().length(), "/subscriptions/".length() + 36)) : "";
        properties.put("roleDefinitionId", subscriptionScope + "/providers/Microsoft.Authorization/roleDefinitions/"
                + a.roleDefinitionId());
        properties.put("principalId", a.principalId());
        properties.put("principalType", a.principalType());
        properties.put("scope", a.scope());
        properties.put("condition", null);
        properties.put("conditionVersion", null);
        properties.put("createdOn", a.createdOn().toString());
        properties.put("updatedOn", a.createdOn().toString());
        properties.put("createdBy", a.createdBy());
        properties.put("updatedBy", a.createdBy());
        properties.put("delegatedManagedIdentityResourceId", null);
        properties.put("description", a.description());
        Map<String, Object> resource = new LinkedHashMap<>();
        resource.put("properties", properties);
        resource.put("id", a.id());
        resource.put("type", "Microsoft.Authorization/roleAssignments");
        resource.put("name", a.name());
        return resource;
    }

    static Map<String, Object> definition(String scope, RoleDefinition r) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("roleName", r.roleName());
        properties.put("type", "BuiltInRole");
        properties.put("description", r.description());
        properties.put("assignableScopes", List.of("/"));
        properties.put("permissions", List.of(Map.of("actions", r.actions(), "notActions", r.notActions(),
                "dataActions", List.of(), "notDataActions", List.of())));
        Map<String, Object> resource = new LinkedHashMap<>();
        resource.put("properties", properties);
        resource.put("id", (scope.equals("/") ? "" : scope) + "/providers/Microsoft.Authorization/roleDefinitions/"
                + r.id());
        resource.put("type", "Microsoft.Authorization/roleDefinitions");
        resource.put("name", r.id());
        return resource;
    }

    private Mono<Void> write(ServerWebExchange exchange, int status, Object body) {
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(HttpStatus.valueOf(status));
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        byte[] bytes = json.writeValueAsBytes(body);
        response.getHeaders().setContentLength(bytes.length);
        return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(bytes)));
    }

    private static Mono<Void> status(ServerWebExchange exchange, HttpStatus status) {
        exchange.getResponse().setStatusCode(status);
        return exchange.getResponse().setComplete();
    }

    private static ArmException notFound(String name) {
        return ArmException.notFound("RoleAssignmentNotFound", "The role assignment '" + name + "' is not found.");
    }

    private static ArmException methodNotAllowed(HttpMethod method) {
        return new ArmException(405, "MethodNotAllowed", "The HTTP method '" + method.name()
                + "' is not supported for this resource.", null);
    }

    private static int lastProviders(List<String> s) {
        for (int i = s.size() - 1; i >= 0; i--) {
            if (s.get(i).equalsIgnoreCase("providers")) {
                return i;
            }
        }
        return -1;
    }
}
