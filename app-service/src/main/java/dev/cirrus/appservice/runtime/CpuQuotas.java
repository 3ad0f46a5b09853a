package dev.cirrus.appservice.runtime;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.cirrus.appservice.plan.AppServicePlan;
import dev.cirrus.appservice.plan.AppServicePlans;
import dev.cirrus.appservice.plan.PlanSku;
import dev.cirrus.appservice.site.Site;
import dev.cirrus.appservice.site.SiteProperties;
import dev.cirrus.appservice.site.SiteUsage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The daily CPU quota of the Free and Shared tiers ({@code free-cpu-quota}, 60 minutes; {@code shared-cpu-quota},
 * 240): the supervisor measures the CPU time of each such site's processes (and their children) with
 * {@code ProcessHandle.info().totalCpuDuration()} on each pass, adds what each used since the last pass to the site's
 * UTC day ({@link DailyCpuQuota}, kept in {@code site_cpu_usage}), and a site that used up its quota has its processes
 * ended and its host answering 403 until the day ends ({@link SiteInstances}, {@code FrontEnd}).
 */
@Component
public class CpuQuotas implements SiteUsage {

    private static final Logger log = LoggerFactory.getLogger(CpuQuotas.class);

    private final JdbcTemplate jdbc;
    private final AppServicePlans plans;
    private final SiteProperties properties;
    private final Clock clock;
    private final Map<String, DailyCpuQuota> usage = new ConcurrentHashMap<>();
    /** The CPU time each process of a site had at the last measurement, by pid. */
    private final Map<String, Map<Long, Duration>> seen = new ConcurrentHashMap<>();

    CpuQuotas(JdbcTemplate jdbc, AppServicePlans plans, SiteProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.plans = plans;
        this.properties = properties;
        this.clock = clock;
    }

    /** The site's daily quota, or null when its tier has none. */
    Duration quotaOf(Site site) {
        PlanSku.Tier tier = plans.find(site.serverFarmId()).map(AppServicePlan::sku).map(PlanSku::tier).orElse(null);
        return tier == PlanSku.Tier.FREE ? properties.freeCpuQuota()
                : tier == PlanSku.Tier.SHARED ? properties.sharedCpuQuota() : null;
    }

    /** Adds the CPU time the site's processes used since the last measurement; true when the quota is used up. */
    boolean measure(Site site, List<ProcessHandle> processes) {
        Duration quota = quotaOf(site);
        if (quota == null) {
            return false;
        }
        Map<Long, Duration> last = seen.computeIfAbsent(site.key(), k -> new ConcurrentHashMap<>());
        Map<Long, Duration> now = new HashMap<>();
        Duration delta = Duration.ZERO;
        for (ProcessHandle p : processes) {
            for (ProcessHandle h : java.util.stream.Stream.concat(java.util.stream.Stream.of(p), p.descendants())
                    .toList()) {
                Duration cpu = h.info().totalCpuDuration().orElse(Duration.ZERO);
                now.put(h.pid(), cpu);
                delta = delta.plus(cpu.minus(last.getOrDefault(h.pid(), Duration.ZERO)));
            }
        }
        last.clear();
        last.putAll(now);
        Instant at = clock.instant();
        DailyCpuQuota before = current(site, at);
        if (delta.isZero() || delta.isNegative()) {
            return before.exceeded(at);
        }
        DailyCpuQuota after = before.add(delta, at, quota);
        usage.put(site.key(), after);
        jdbc.update("insert into site_cpu_usage(site_key, day, cpu_millis, exceeded_at) values (?,?,?,?) on conflict"
                        + " (site_key, day) do update set cpu_millis = excluded.cpu_millis, exceeded_at ="
                        + " excluded.exceeded_at", site.key(), Date.valueOf(after.day()), after.used().toMillis(),
                after.exceededAt() == null ? null : Timestamp.from(after.exceededAt()));
        if (after.exceeded(at) && !before.exceeded(at)) {
            log.info("{} used up its daily CPU quota ({} s): stopped until {}", site.name(), quota.toSeconds(),
                    after.resetsAt());
        }
        return after.exceeded(at);
    }

    /** The CPU time the site used today. */
    public Duration usedToday(Site site) {
        return current(site, clock.instant()).used();
    }

    @Override
    public boolean quotaExceeded(Site site) {
        Instant now = clock.instant();
        return current(site, now).exceeded(now) && quotaOf(site) != null; // memory first: the front end asks often
    }

    @Override
    public Instant quotaResetsAt(Site site) {
        return quotaExceeded(site) ? current(site, clock.instant()).resetsAt() : null;
    }

    private DailyCpuQuota current(Site site, Instant at) {
        DailyCpuQuota cached = usage.get(site.key());
        if (cached != null && cached.day().equals(DailyCpuQuota.dayOf(at))) {
            return cached;
        }
        DailyCpuQuota stored = jdbc.query("select cpu_millis, exceeded_at from site_cpu_usage where site_key = ? and "
                        + "day = ?", (rs, i) -> new DailyCpuQuota(DailyCpuQuota.dayOf(at),
                        Duration.ofMillis(rs.getLong(1)), rs.getTimestamp(2) == null ? null
                        : rs.getTimestamp(2).toInstant()), site.key(), Date.valueOf(DailyCpuQuota.dayOf(at)))
                .stream().findFirst().orElse(DailyCpuQuota.none(at));
        usage.put(site.key(), stored);
        return stored;
    }
}
