package dev.cirrus.computevm.scaleset;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The policies and flags of a scale set, stored as one JSON document.
 *
 * @param singlePlacementGroup Uniform: the set stays in one placement group of at most 100 instances
 * @param overprovision        extra instances are created and the surplus deleted once enough succeeded
 * @param upgradePolicy        how model changes reach the instances
 * @param scaleInPolicy        which instances a scale-in removes
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ScaleSetSettings(boolean singlePlacementGroup, boolean overprovision, UpgradePolicy upgradePolicy,
                        ScaleInPolicy scaleInPolicy) {

    enum UpgradeMode {
        Manual, Automatic, Rolling
    }

    /**
     * @param rollingUpgradePolicy Rolling only: Azure's batch and health limits, kept as given (with Azure's defaults)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record UpgradePolicy(UpgradeMode mode, RollingUpgradePolicy rollingUpgradePolicy) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RollingUpgradePolicy(int maxBatchInstancePercent, int maxUnhealthyInstancePercent,
                                int maxUnhealthyUpgradedInstancePercent, String pauseTimeBetweenBatches) {
    }

    /** @param rules exactly one of Default, NewestVM, OldestVM */
    record ScaleInPolicy(List<String> rules, boolean forceDeletion) {

        ScaleInOrder.Rule rule() {
            return ScaleInOrder.Rule.valueOf(rules.getFirst());
        }
    }
}
