package dev.cirrus.plumbing.arm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The SQL of one page of a subscription's or a resource group's resources in key order, for tables keyed as the
 * services key them ({@code subscription_key}, {@code resource_group_key}, {@code resource_key}, all lower case): the
 * {@link ArmPaging} scheme keeps the last key of a page in its {@code $skiptoken}, and the next page starts after it.
 *
 * <pre>
 *   KeysetPage q = KeysetPage.of("select * from virtual_machines where true", subscriptionId, group, after, limit);
 *   jdbc.sql(q.sql()).params(q.params()).query(this::map).list();
 * </pre>
 *
 * @param sql    the statement, ending in {@code order by resource_key limit ?}
 * @param params its parameters, in order
 */
public record KeysetPage(String sql, List<Object> params) {

    /**
     * @param selectWhere        a {@code select … from … where <condition>} the page's conditions are and-ed to
     * @param leading            the parameters of {@code selectWhere}'s own placeholders
     * @param resourceGroupOrNull a group, or null for the whole subscription
     * @param afterKey           the last key of the page before, or null for the first page
     */
    public static KeysetPage of(String selectWhere, List<?> leading, String subscriptionId, String resourceGroupOrNull,
                                String afterKey, int limit) {
        StringBuilder sql = new StringBuilder(selectWhere).append(" and subscription_key = ?");
        List<Object> params = new ArrayList<>(leading);
        params.add(subscriptionId.toLowerCase(Locale.ROOT));
        if (resourceGroupOrNull != null) {
            sql.append(" and resource_group_key = ?");
            params.add(resourceGroupOrNull.toLowerCase(Locale.ROOT));
        }
        if (afterKey != null) {
            sql.append(" and resource_key > ?");
            params.add(afterKey);
        }
        sql.append(" order by resource_key limit ?");
        params.add(limit);
        return new KeysetPage(sql.toString(), List.copyOf(params));
    }

    public static KeysetPage of(String selectWhere, String subscriptionId, String resourceGroupOrNull, String afterKey,
                                int limit) {
        return of(selectWhere, List.of(), subscriptionId, resourceGroupOrNull, afterKey, limit);
    }
}
