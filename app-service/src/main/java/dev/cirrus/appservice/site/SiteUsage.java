package dev.cirrus.appservice.site;

import java.time.Instant;

/**
 * A site's use of its tier's daily CPU quota (Free: 60 CPU-minutes a day, Shared: 240), measured by
 * {@code runtime/CpuQuotas}: a site that used it up is shown with {@code state: QuotaExceeded} and
 * {@code usageState: Exceeded} until the UTC day ends.
 */
public interface SiteUsage {

    /** Whether the site used up its daily CPU quota today. */
    boolean quotaExceeded(Site site);

    /** When its quota starts again (the next UTC midnight), or null when it is not exceeded. */
    Instant quotaResetsAt(Site site);
}
