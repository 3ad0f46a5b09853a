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

    /** The site is gone: its processes end and its content is removed. */
    void removed(Site site);
}
