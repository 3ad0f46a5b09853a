package dev.cirrus.placement.maintenance;

import java.util.List;

/**
 * The {@code data} of {@code Cirrus.Maintenance.WaveStarted} and {@code MaintenanceWaveCompleted}
 * (subject {@code /cirrus/placement/maintenances/{id}}). A candidate for contracts once a consumer needs it.
 */
public record MaintenanceWaveData(String maintenanceId, String region, String cluster, int wave, int waves,
                                  int updateDomain, List<String> vmIds) {
}
