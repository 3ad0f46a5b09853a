package dev.cirrus.appservice.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import dev.cirrus.appservice.site.Site;
import dev.cirrus.appservice.site.SiteProperties;
import dev.cirrus.appservice.site.SiteRepository;
import dev.cirrus.appservice.site.Sites;
import dev.cirrus.plumbing.arm.ArmException;
import org.springframework.stereotype.Service;

/**
 * Zip deployment of a web app, behind Kudu's {@code /api/zipdeploy} (and {@code /api/publish?type=zip}) on the scm
 * host and ARM's {@code …/extensions/zipdeploy} / {@code onedeploy}:
 * <ol>
 *   <li>the package is unpacked into a new folder ({@link ZipContent}: traversal, too many entries, too many bytes
 *       and non-zips are refused, and leave nothing behind);</li>
 *   <li>its stack is found ({@link Stack}: no entry point is a 400, nothing recorded);</li>
 *   <li>a running site's new processes start, one per plan instance, and must listen ({@link SiteInstances});</li>
 *   <li>the deployment is recorded (Kudu's status, {@code WebAppDeployed}) and the new content serves; the old
 *       processes stop and the old content is removed.</li>
 * </ol>
 * A stack whose runtime is missing, or a process that exits or does not listen, fails the deployment: it is recorded
 * as failed with the reason (Kudu status 3, {@code WebAppDeployed} with {@code Failed}), the call answers 400
 * {@code DeploymentFailed} with it, and the content that served before keeps serving.
 */
@Service
public class Deployments {

    private final Sites sites;
    private final SiteRepository repository;
    private final SiteInstances instances;
    private final SiteProperties properties;
    private final Clock clock;

    Deployments(Sites sites, SiteRepository repository, SiteInstances instances, SiteProperties properties,
                Clock clock) {
        this.sites = sites;
        this.repository = repository;
        this.instances = instances;
        this.properties = properties;
        this.clock = clock;
    }

    /** Deploys {@code zip} to the site; returns the deployment's record (its status Success). */
    public SiteRepository.Deployment deploy(Site site, byte[] zip, String deployer) {
        Instant received = now();
        String id = UUID.randomUUID().toString().replace("-", "");
        Path dir = instances.deploymentFolder(site, id);
        ZipContent.extract(zip, dir, properties.maxPackageMb() * 1024L * 1024L, properties.maxEntries());
        Stack stack;
        try {
            stack = instances.stackOf(site, dir);
        } catch (ArmException e) {
            ZipContent.delete(dir);
            throw e;
        } catch (DeploymentFailure e) {
            ZipContent.delete(dir);
            throw failed(site, id, null, received, deployer, e);
        }
        AtomicReference<SiteRepository.Deployment> recorded = new AtomicReference<>();
        try {
            instances.deploy(site, id, dir, stack, () -> {
                SiteRepository.Deployment d = new SiteRepository.Deployment(id, site.key(), "Success",
                        "Deployed " + stack.name() + " content", stack.name(), received, now(), deployer);
                sites.deployed(site, d);
                recorded.set(d);
            });
        } catch (DeploymentFailure e) {
            ZipContent.delete(dir);
            throw failed(site, id, stack.name(), received, deployer, e);
        } catch (RuntimeException e) {
            ZipContent.delete(dir);
            throw e;
        }
        removeOtherDeployments(site, id);
        return recorded.get();
    }

    private ArmException failed(Site site, String id, String stack, Instant received, String deployer,
                                DeploymentFailure e) {
        sites.deployed(site, new SiteRepository.Deployment(id, site.key(), "Failed", e.getMessage(), stack, received,
                now(), deployer));
        return ArmException.badRequest("DeploymentFailed", "Deployment " + id + " of '" + site.name() + "' failed: "
                + e.getMessage(), null);
    }

    /** Only the deployment that serves keeps its content (one still being unpacked is not recorded yet: kept). */
    private void removeOtherDeployments(Site site, String keep) {
        java.util.Set<String> ended = new java.util.HashSet<>();
        repository.deployments(site.key()).forEach(d -> ended.add(d.id()));
        ended.removeAll(repository.activeDeploymentsOfFamily(site.appKey())); // served by the app or a slot
        Path root = instances.deploymentFolder(site, keep).getParent();
        try (Stream<Path> folders = Files.list(root)) {
            folders.filter(f -> !f.getFileName().toString().equals(keep) && ended.contains(f.getFileName().toString()))
                    .forEach(ZipContent::delete);
        } catch (IOException ignored) {
            // nothing else was deployed
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
