package dev.cirrus.contracts.events;

import java.time.Instant;

/**
 * The data of {@code Microsoft.Web.WebJobRun*} events on {@code cirrus.appservice} (subject: the job's ARM id,
 * {@code …/sites/{app}[/slots/{slot}]/triggeredwebjobs/{job}}): a triggered WebJob's run started or ended.
 *
 * @param subscriptionId subscription GUID
 * @param resourceGroup  resource group name as the user cased it
 * @param site           the web app's name ({@code {app}/{slot}} for a slot's job)
 * @param job            the WebJob's name
 * @param runId          the run's id (Kudu's)
 * @param trigger        what started it: {@code External - Kudu API}, {@code External - ARM} or
 *                       {@code Schedule - {ncrontab}}
 * @param status         Running, then Success or Failed
 * @param startTime      when the run started
 * @param endTime        when it ended (null while it runs)
 * @param exitCode       the process's exit code (null while it runs)
 */
public record WebJobRunData(String subscriptionId, String resourceGroup, String site, String job, String runId,
                            String trigger, String status, Instant startTime, Instant endTime, Integer exitCode) {
}
