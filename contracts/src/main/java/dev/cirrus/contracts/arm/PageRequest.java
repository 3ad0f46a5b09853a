package dev.cirrus.contracts.arm;

/**
 * One page of a list as a client asked for it: {@code $top} (a positive whole number, the most items the client
 * wants on a page, capped at the service's page size) and {@code $skiptoken} (where the page starts, see
 * {@link SkipToken}). A page may hold fewer items than {@code size}; the client follows {@code nextLink} until
 * there is none.
 *
 * @param after the position the page starts after, or null for the first page
 * @param size  the most items to return
 */
public record PageRequest(String after, int size) {

    public static final String TOP = "$top";

    /**
     * @param top         the raw {@code $top}, or null
     * @param skipToken   the raw {@code $skiptoken}, or null
     * @param maxPageSize the service's page size, used when {@code $top} is absent
     */
    public static PageRequest of(String top, String skipToken, int maxPageSize) {
        Integer requested = top(top);
        return new PageRequest(SkipToken.decode(skipToken),
                requested == null ? maxPageSize : Math.min(requested, maxPageSize));
    }

    /** {@code $top}: a positive whole number, or null when absent; anything else is 400 naming {@code $top}. */
    public static Integer top(String top) {
        if (top == null || top.isEmpty()) {
            return null;
        }
        try {
            int n = Integer.parseInt(top.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        String shown = top.length() > 40 ? top.substring(0, 40) + "…" : top;
        throw ArmErrorException.invalidParameter("The value '" + ArmTags.printable(shown) + "' of $top is not valid: "
                + "it must be a positive whole number.", TOP);
    }

    /** The page's offset when the position is one ({@link SkipToken#decodeOffset}): 0 for the first page. */
    public long offset() {
        if (after == null) {
            return 0;
        }
        try {
            long offset = Long.parseLong(after);
            if (offset >= 0) {
                return offset;
            }
        } catch (NumberFormatException e) {
            // a token of this scheme, but not one of an offset list: refused below
        }
        throw ArmErrorException.invalidParameter("The $skiptoken is not valid for this list. Use the nextLink of the "
                + "previous page as it was returned.", SkipToken.PARAMETER);
    }
}
