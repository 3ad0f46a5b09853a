package dev.cirrus.gateway.identity;

import java.net.URI;

/**
 * The issuers ({@code iss}) of Cirrus's tokens, as Entra ID and AD FS name theirs: {@code {authority}/{tenant}/} for
 * the v1 endpoint, {@code {authority}/{tenant}/v2.0} for the v2 endpoint, {@code {authority}/adfs} for the AD FS
 * style endpoint ({@link TokenController}). The authority is the gateway's address as the token request reached it;
 * a token is accepted by any of the gateway's addresses ({@link Audiences#isOwnAddress}), so one fetched over plain
 * HTTP also works over HTTPS.
 */
final class Issuers {

    /** The first path segment of the AD FS style authority (what MSAL and the Azure CLI recognise as AD FS). */
    static final String ADFS = "adfs";

    private Issuers() {
    }

    static String v1(String base, String tenantId) {
        return base + "/" + tenantId + "/";
    }

    static String v2(String base, String tenantId) {
        return base + "/" + tenantId + "/v2.0";
    }

    static String adfs(String base) {
        return base + "/" + ADFS;
    }

    /**
     * True when {@code issuer} is one of the three forms above, at an address of this gateway, and names the token's
     * own tenant ({@code tid}) where the form names one.
     */
    static boolean isOurs(URI uri, String tenantId, String requestHost, Audiences audiences) {
        if (uri == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null
                || !audiences.isOwnAddress(uri, requestHost)) {
            return false;
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (path.equalsIgnoreCase("/" + ADFS)) {
            return true;
        }
        // "/{tid}/" or "/{tid}/v2.0", compared in place: this runs on every authenticated call
        int afterTenant = 1 + tenantId.length();
        if (path.length() <= afterTenant || path.charAt(0) != '/'
                || !path.regionMatches(true, 1, tenantId, 0, tenantId.length())) {
            return false;
        }
        String rest = path.substring(afterTenant);
        return rest.equals("/") || rest.equals("/v2.0");
    }
}
