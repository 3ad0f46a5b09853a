package dev.cirrus.appservice.site;

/**
 * What runs a site's content ({@code runtime/SiteInstances}): told after each committed change, so processes follow
 * the stored site (never a change that was rolled back).
 */
public interface SiteRuntime {

    /** The site changed (settings, state, plan): a running site's instances run with its settings, a stopped one's end. */
    void changed(Site site);

    /** Every instance of the site is replaced (the site's settings unchanged). */
    void restart(Site site);

    /**
     * A swap: the processes {@code a} and {@code b} will run (their deployments with their settings) are started and
     * listen, then {@code commit} stores the swap, then the front end routes to them and the old processes stop once
     * the requests they serve ended. A start or a commit that fails changes nothing.
     */
    void swap(Site a, Site b, Runnable commit);

    /** The site is gone: its processes end and its content is removed. */
    void removed(Site site);
}
