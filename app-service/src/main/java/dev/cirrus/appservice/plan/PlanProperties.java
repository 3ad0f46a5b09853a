package dev.cirrus.appservice.plan;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code cirrus.appservice.plans.*}: App Service plans.
 *
 * @param listPageSize the most plans on one page of a list (default 100, as Azure's pages; {@code nextLink} for more)
 */
@Validated
@ConfigurationProperties("cirrus.appservice.plans")
public record PlanProperties(@Min(1) @Max(1000) Integer listPageSize) {

    public PlanProperties {
        listPageSize = listPageSize == null ? 100 : listPageSize;
    }
}
