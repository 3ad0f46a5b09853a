package dev.cirrus.computecontainer.group;

import java.math.BigDecimal;
import java.time.Duration;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code cirrus.container.groups.*}: container groups.
 *
 * @param listPageSize      the most groups on one page of a list (default 100, as Azure's pages)
 * @param maxCpu            the most vCPU one group may request (default 4, Azure's common Linux ceiling)
 * @param maxMemoryInGB     the most memory one group may request (default 16 GB, likewise)
 * @param regionalCores     the vCPU all groups of a subscription may request in one region (default 100)
 * @param dnsZone           the domain of a group's fqdn, {@code {label}.{region}.azurecontainer.{dnsZone}}
 *                          (default {@code localhost}: the gateway routes those names)
 * @param monitorInterval   how often the runtime's state of running groups is observed (default 1 s)
 * @param workerPollInterval how often the worker looks for due operations when nothing woke it (default 1 s)
 * @param operationDeadline how long a create or start may wait for the placement engine (default 2 min)
 */
@Validated
@ConfigurationProperties("cirrus.container.groups")
public record ContainerGroupProperties(@Min(1) @Max(1000) Integer listPageSize,
                                       @NotNull @DecimalMin("0.1") BigDecimal maxCpu,
                                       @NotNull @DecimalMin("0.1") BigDecimal maxMemoryInGB,
                                       @NotNull @DecimalMin("0.1") BigDecimal regionalCores,
                                       @NotBlank String dnsZone,
                                       @NotNull Duration monitorInterval,
                                       @NotNull Duration workerPollInterval,
                                       @NotNull Duration operationDeadline) {

    public ContainerGroupProperties {
        listPageSize = listPageSize == null ? 100 : listPageSize;
        maxCpu = maxCpu == null ? new BigDecimal("4") : maxCpu;
        maxMemoryInGB = maxMemoryInGB == null ? new BigDecimal("16") : maxMemoryInGB;
        regionalCores = regionalCores == null ? new BigDecimal("100") : regionalCores;
        dnsZone = dnsZone == null ? "localhost" : dnsZone;
        // a second: a crash shows in the instance view about as fast as a user looks again
        monitorInterval = monitorInterval == null ? Duration.ofSeconds(1) : monitorInterval;
        workerPollInterval = workerPollInterval == null ? Duration.ofSeconds(1) : workerPollInterval;
        // long enough to ride out a placement engine restart, short enough that nothing stays Creating for long
        operationDeadline = operationDeadline == null ? Duration.ofMinutes(2) : operationDeadline;
        if (monitorInterval.isNegative() || monitorInterval.isZero() || workerPollInterval.isNegative()
                || workerPollInterval.isZero() || operationDeadline.isNegative() || operationDeadline.isZero()) {
            throw new IllegalArgumentException("cirrus.container.groups durations must be positive");
        }
    }

    /** Every default: for unit tests that build the parser by hand. */
    public static ContainerGroupProperties defaults() {
        return new ContainerGroupProperties(null, null, null, null, null, null, null, null);
    }
}
