package dev.cirrus.contracts.arm;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * The opaque {@code $skiptoken} of a list's {@code nextLink}, one scheme for every service: the position after
 * which the next page starts, as base64url of {@code "v1:" + position}. The position is the service's own: the key
 * of the last item shown (keyset paging, so pages stay correct while items come and go) or an offset where the list
 * is computed rather than stored. A token this scheme did not produce — garbled, cut short, not base64, not UTF-8 —
 * is 400 {@code InvalidParameter} with target {@value #PARAMETER}, never a 500.
 *
 * <p>Example: the last VM of a page has the key {@code rg/vm7}; the token is {@code djE6cmcvdm03}; the next request
 * carries {@code $skiptoken=djE6cmcvdm03} and {@link #decode} gives {@code rg/vm7} back.
 */
public final class SkipToken {

    /** The query parameter; read case-insensitively ({@code $skipToken} is also sent), written this way. */
    public static final String PARAMETER = "$skiptoken";
    private static final String PREFIX = "v1:";

    private SkipToken() {
    }

    public static String encode(String position) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((PREFIX + position).getBytes(StandardCharsets.UTF_8));
    }

    /** The position a page starts after, or null for the first page (no token). */
    public static String decode(String token) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        try {
            String decoded = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Base64.getUrlDecoder().decode(token))).toString();
            if (decoded.startsWith(PREFIX)) {
                return decoded.substring(PREFIX.length());
            }
        } catch (IllegalArgumentException | CharacterCodingException e) {
            // not a token of this scheme: refused below
        }
        throw invalid(token);
    }

    /** A position that must be a non-negative offset (for lists computed on each call). */
    public static long decodeOffset(String token) {
        String position = decode(token);
        if (position == null) {
            return 0;
        }
        try {
            long offset = Long.parseLong(position);
            if (offset >= 0) {
                return offset;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw invalid(token);
    }

    private static ArmErrorException invalid(String token) {
        String shown = token.length() > 100 ? token.substring(0, 100) + "…" : token;
        return ArmErrorException.invalidParameter("The $skiptoken '" + ArmTags.printable(shown) + "' is not valid. "
                + "Use the nextLink of the previous page as it was returned.", PARAMETER);
    }
}
