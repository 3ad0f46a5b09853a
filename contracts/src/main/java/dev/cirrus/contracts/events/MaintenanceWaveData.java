package dev.cirrus.contracts.events;

import java.util.List;

/**
 * The data of {@code Cirrus.Maintenance.WaveStarted} and {@code Cirrus.Maintenance.WaveCompleted} on
 * {@code cirrus.placement} (subject {@code /cirrus/placement/maintenances/{maintenanceId}}). Planned maintenance of a
 * cluster reboots its VMs one update domain per wave, so at most one update domain of any set is down at a time.
 *
 * @param maintenanceId the maintenance run
 * @param region        normalised ARM location
 * @param cluster       the cluster under maintenance
 * @param wave          this wave, 0-based
 * @param waves         how many waves the run has
 * @param updateDomain  the update domain this wave reboots
 * @param vmIds         the platform GUIDs of the VMs rebooted in this wave
 */
public record MaintenanceWaveData(String maintenanceId, String region, String cluster, int wave, int waves,
                                  int updateDomain, List<String> vmIds) {
}
