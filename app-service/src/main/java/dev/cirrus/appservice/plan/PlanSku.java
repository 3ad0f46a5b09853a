package dev.cirrus.appservice.plan;

import java.util.Locale;
import java.util.Optional;

/**
 * The pricing tiers of App Service plans and the limits each one carries (app-service/README.md lists them too):
 *
 * <pre>
 *   tier            SKUs              instances (sku.capacity)    apps per plan   plans allowed
 *   Free            F1                1                           10              10 per subscription and region
 *   Shared          D1 (Windows only) 1                           100             10 per resource group
 *   Basic           B1-B3             1-3                         unlimited       100 per resource group
 *   Standard        S1-S3             1-10                        unlimited       100 per resource group
 *   PremiumV2       P1v2-P3v2         1-30                        unlimited       100 per resource group
 *   PremiumV3       P0v3-P3v3         1-30                        unlimited       100 per resource group
 *   PremiumMV3      P1mv3-P5mv3       1-30                        unlimited       100 per resource group
 *   IsolatedV2      I1v2-I6v2         1-100 (in an App Service Environment)  unlimited  100 per resource group
 *   Dynamic         Y1                0: the platform scales it   100             100 per subscription
 *   ElasticPremium  EP1-EP3           1-20 always ready, bursting to maximumElasticWorkerCount (at most 100)
 *                                                                 100             100 per resource group
 * </pre>
 *
 * Dynamic (Functions Consumption) and ElasticPremium (Functions Premium) plans are Functions hosting plans: a plan
 * cannot move between them and the dedicated tiers, only within its own kind (EP1 → EP3; B1 → P1v3).
 */
public enum PlanSku {

    F1(Tier.FREE), D1(Tier.SHARED),
    B1(Tier.BASIC), B2(Tier.BASIC), B3(Tier.BASIC),
    S1(Tier.STANDARD), S2(Tier.STANDARD), S3(Tier.STANDARD),
    P1v2(Tier.PREMIUM_V2), P2v2(Tier.PREMIUM_V2), P3v2(Tier.PREMIUM_V2),
    P0v3(Tier.PREMIUM_V3), P1v3(Tier.PREMIUM_V3), P2v3(Tier.PREMIUM_V3), P3v3(Tier.PREMIUM_V3),
    P1mv3(Tier.PREMIUM_MV3), P2mv3(Tier.PREMIUM_MV3), P3mv3(Tier.PREMIUM_MV3), P4mv3(Tier.PREMIUM_MV3),
    P5mv3(Tier.PREMIUM_MV3),
    I1v2(Tier.ISOLATED_V2), I2v2(Tier.ISOLATED_V2), I3v2(Tier.ISOLATED_V2), I4v2(Tier.ISOLATED_V2),
    I5v2(Tier.ISOLATED_V2), I6v2(Tier.ISOLATED_V2),
    Y1(Tier.DYNAMIC),
    EP1(Tier.ELASTIC_PREMIUM), EP2(Tier.ELASTIC_PREMIUM), EP3(Tier.ELASTIC_PREMIUM);

    /** No limit on the apps of a plan. */
    public static final int UNLIMITED = Integer.MAX_VALUE;
    /** The most instances an ElasticPremium plan bursts to ({@code maximumElasticWorkerCount}). */
    public static final int MAX_ELASTIC_WORKERS = 100;

    /** Where a tier's plan quota is counted. */
    public enum Scope { SUBSCRIPTION_AND_REGION, SUBSCRIPTION, RESOURCE_GROUP }

    /**
     * A pricing tier: its name in ARM ({@code sku.tier}), the SKU family's prefix, its instance range, the apps a plan
     * may hold, whether Linux plans exist in it, and how many plans of it a scope may hold.
     */
    public enum Tier {
        FREE("Free", "F", 1, 1, 10, true, Scope.SUBSCRIPTION_AND_REGION, 10),
        SHARED("Shared", "D", 1, 1, 100, false, Scope.RESOURCE_GROUP, 10),
        BASIC("Basic", "B", 1, 3, UNLIMITED, true, Scope.RESOURCE_GROUP, 100),
        STANDARD("Standard", "S", 1, 10, UNLIMITED, true, Scope.RESOURCE_GROUP, 100),
        PREMIUM_V2("PremiumV2", "Pv2", 1, 30, UNLIMITED, true, Scope.RESOURCE_GROUP, 100),
        PREMIUM_V3("PremiumV3", "Pv3", 1, 30, UNLIMITED, true, Scope.RESOURCE_GROUP, 100),
        PREMIUM_MV3("PremiumMV3", "Pmv3", 1, 30, UNLIMITED, true, Scope.RESOURCE_GROUP, 100),
        ISOLATED_V2("IsolatedV2", "Iv2", 1, 100, UNLIMITED, true, Scope.RESOURCE_GROUP, 100),
        DYNAMIC("Dynamic", "Y", 0, 0, 100, true, Scope.SUBSCRIPTION, 100),
        ELASTIC_PREMIUM("ElasticPremium", "EP", 1, 20, 100, true, Scope.RESOURCE_GROUP, 100);

        private final String armName;
        private final String family;
        private final int minInstances;
        private final int maxInstances;
        private final int maxSites;
        private final boolean linux;
        private final Scope quotaScope;
        private final int quota;

        Tier(String armName, String family, int minInstances, int maxInstances, int maxSites, boolean linux,
             Scope quotaScope, int quota) {
            this.armName = armName;
            this.family = family;
            this.minInstances = minInstances;
            this.maxInstances = maxInstances;
            this.maxSites = maxSites;
            this.linux = linux;
            this.quotaScope = quotaScope;
            this.quota = quota;
        }

        /** {@code sku.tier}: Free, Shared, Basic, …, Dynamic, ElasticPremium. */
        public String armName() {
            return armName;
        }

        public String family() {
            return family;
        }

        /** The fewest instances a plan of the tier runs ({@code sku.capacity}); 0 on Dynamic. */
        public int minInstances() {
            return minInstances;
        }

        /** The most instances a plan of the tier runs ({@code sku.capacity}); 0 on Dynamic (the platform scales it). */
        public int maxInstances() {
            return maxInstances;
        }

        /** The most apps a plan of the tier holds ({@link #UNLIMITED} for none). */
        public int maxSites() {
            return maxSites;
        }

        /** Whether Linux ({@code reserved: true}) plans exist in the tier. */
        public boolean linux() {
            return linux;
        }

        public Scope quotaScope() {
            return quotaScope;
        }

        /** How many plans of the tier its {@link #quotaScope()} may hold. */
        public int quota() {
            return quota;
        }

        /** Functions Consumption or Premium: the kinds of plan that cannot become dedicated ones, nor the reverse. */
        public boolean functionsOnly() {
            return this == DYNAMIC || this == ELASTIC_PREMIUM;
        }

        public boolean isolated() {
            return this == ISOLATED_V2;
        }

        public boolean elastic() {
            return this == ELASTIC_PREMIUM;
        }

        /**
         * The deployment slots an app of the tier may have besides production: none on Free, Shared and Basic, 5 on
         * Standard, 20 on the Premium and Isolated tiers (Functions: 1 on Consumption, 20 on Elastic Premium).
         */
        public int maxSlots() {
            return switch (this) {
                case FREE, SHARED, BASIC -> 0;
                case STANDARD -> 5;
                case DYNAMIC -> 1;
                default -> 20;
            };
        }

        /** A tier by its ARM name, any casing. */
        public static Optional<Tier> byArmName(String name) {
            for (Tier t : values()) {
                if (t.armName.equalsIgnoreCase(name)) {
                    return Optional.of(t);
                }
            }
            return Optional.empty();
        }
    }

    private final Tier tier;

    PlanSku(Tier tier) {
        this.tier = tier;
    }

    public Tier tier() {
        return tier;
    }

    /** {@code sku.size}: the SKU's own name (Azure repeats it). */
    public String size() {
        return name();
    }

    /** {@code sku.family}: F, D, B, S, Pv2, Pv3, Pmv3, Iv2, Y, EP. */
    public String family() {
        return tier.family();
    }

    /**
     * {@code properties.maximumNumberOfWorkers}: the tier's instance maximum; a Consumption plan scales out to 200
     * instances on Windows and 100 on Linux, a Premium (elastic) one to {@value #MAX_ELASTIC_WORKERS}.
     */
    public int maximumNumberOfWorkers(boolean linux) {
        return switch (tier) {
            case DYNAMIC -> linux ? 100 : 200;
            case ELASTIC_PREMIUM -> MAX_ELASTIC_WORKERS;
            default -> tier.maxInstances();
        };
    }

    /** A SKU by its name, any casing ({@code p1V3} is {@code P1v3}). */
    public static Optional<PlanSku> byName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String wanted = name.toLowerCase(Locale.ROOT);
        for (PlanSku s : values()) {
            if (s.name().toLowerCase(Locale.ROOT).equals(wanted)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** The SKU names, for messages: {@code F1, D1, B1, …}. */
    public static String names() {
        StringBuilder b = new StringBuilder();
        for (PlanSku s : values()) {
            if (!b.isEmpty()) {
                b.append(", ");
            }
            b.append(s.name());
        }
        return b.toString();
    }
}
