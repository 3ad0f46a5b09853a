package dev.cirrus.computevm.batch.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import dev.cirrus.computevm.batch.account.BatchAccount;
import dev.cirrus.computevm.batch.account.BatchAccountRepository;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Every call of the Batch service API ({@code /batch/{account}.{region}/…}) is checked here, before its controller:
 * the account exists, the {@code api-version} is one Cirrus serves, and the {@code Authorization: SharedKey
 * {account}:{signature}} header carries a signature of the request by one of the account's two keys
 * ({@link SharedKey}) made within 15 minutes ({@code ocp-date} or {@code Date}), as Azure requires.
 *
 * <p>The signed path is the one the client sent: the path form as it is; a call the gateway took by host
 * ({@code {account}.{region}.batch.{domain}/pools}) arrives as {@code /batch/{account}.{region}/pools} with the
 * client's path in {@link #SIGNED_PATH_HEADER}.
 */
@Component
class BatchAuthentication implements HandlerInterceptor {

    /** The path a client signed when the gateway routed its call by host; the gateway overwrites any it is sent. */
    static final String SIGNED_PATH_HEADER = "X-Cirrus-Batch-Path";
    static final String ACCOUNT = "dev.cirrus.computevm.batch.service.account";
    /** The data-plane versions Cirrus serves: 2024-07-01.20.0 and its neighbours (same shapes for what is served). */
    static final Set<String> API_VERSIONS = Set.of("2024-07-01.20.0", "2024-02-01.19.0", "2023-11-01.18.0",
            "2023-05-01.17.0", "2022-10-01.16.0", "2025-06-01");
    private static final Pattern AUTHORIZATION = Pattern.compile("SharedKey ([^:]+):(.+)");
    private static final Duration SKEW = Duration.ofMinutes(15);

    private final BatchAccountRepository accounts;
    private final Clock clock;

    BatchAuthentication(BatchAccountRepository accounts, Clock clock) {
        this.accounts = accounts;
        this.clock = clock;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        // every handler of the Batch service API, whatever the casing of the path that reached it
        if (!(handler instanceof HandlerMethod method) || method.getBeanType() != BatchServiceController.class) {
            return true;
        }
        String uri = request.getRequestURI();
        String rest = uri.substring("/batch/".length());
        int slash = rest.indexOf('/');
        String endpoint = slash < 0 ? rest : rest.substring(0, slash);
        BatchAccount account = accounts.findByEndpoint(endpoint).orElseThrow(() -> new BatchError(404,
                "AccountNotFound", "The specified account does not exist."));
        String[] versions = request.getParameterValues("api-version");
        if (versions == null || versions.length == 0) {
            throw new BatchError(400, "MissingRequiredQueryParameter", "A query parameter that's mandatory for this "
                    + "request is not specified.", Map.of("QueryParameterName", "api-version"));
        }
        if (!API_VERSIONS.contains(versions[0])) {
            throw new BatchError(400, "InvalidApiVersionParameter", "The specified api-version '" + versions[0]
                    + "' is not supported. Supported versions: " + String.join(", ", API_VERSIONS.stream().sorted().toList())
                    + ".", Map.of("QueryParameterName", "api-version", "QueryParameterValue", versions[0]));
        }
        authenticate(request, account);
        request.setAttribute(ACCOUNT, account);
        return true;
    }

    private void authenticate(HttpServletRequest request, BatchAccount account) {
        String authorization = request.getHeader("Authorization");
        if (authorization == null || authorization.isBlank()) {
            throw failed("The Authorization header is missing.");
        }
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw failed("Microsoft Entra tokens are not accepted by Cirrus's Batch service yet: sign the request with "
                    + "the account's Shared Key.");
        }
        var m = AUTHORIZATION.matcher(authorization.strip());
        if (!m.matches()) {
            throw failed("The Authorization header is not 'SharedKey {account}:{signature}'.");
        }
        if (!m.group(1).equalsIgnoreCase(account.name())) {
            throw failed("The account '" + m.group(1) + "' in the Authorization header is not the account of the "
                    + "endpoint ('" + account.name() + "').");
        }
        if (!account.settings().allowedAuthenticationModes().contains("SharedKey")) {
            throw failed("Shared Key authentication is disabled for the account.");
        }
        String date = request.getHeader("ocp-date") != null ? request.getHeader("ocp-date") : request.getHeader("Date");
        if (date == null) {
            throw failed("Request date header not specified (ocp-date or Date).");
        }
        Instant sent;
        try {
            sent = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw failed("The request date '" + date + "' is not an RFC 1123 date.");
        }
        Instant now = clock.instant();
        if (sent.isBefore(now.minus(SKEW)) || sent.isAfter(now.plus(SKEW))) {
            throw failed("Request date header too old or too far in the future: '" + date + "' (allowed: 15 minutes "
                    + "from the service's time " + now + ").");
        }
        String signedPath = request.getAttribute(BatchHostForm.SIGNED_PATH) instanceof String byHost ? byHost
                : request.getHeader(SIGNED_PATH_HEADER);
        String path = signedPath != null ? signedPath : request.getRequestURI();
        List<String> names = Collections.list(request.getHeaderNames());
        List<String> candidates = SharedKey.stringsToSign(request.getMethod(), request::getHeader, names,
                account.name(), path, request.getQueryString());
        String given = m.group(2).strip();
        for (String key : List.of(account.primaryKey(), account.secondaryKey())) {
            for (String candidate : candidates) {
                if (SharedKey.same(SharedKey.sign(key, candidate), given)) {
                    return;
                }
            }
        }
        throw failed("The MAC signature found in the HTTP request '" + given + "' is not the same as any computed "
                + "signature. Server used following string to sign: '" + candidates.get(0) + "'.");
    }

    private static BatchError failed(String detail) {
        return new BatchError(403, "AuthenticationFailed", "Server failed to authenticate the request. Make sure the "
                + "value of Authorization header is formed correctly including the signature.",
                Map.of("AuthenticationErrorDetail", detail));
    }
}
