package dev.cirrus.gateway.portal;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The operator's portal: one static page ({@code static/portal/index.html} with its script and style sheet, served
 * by the gateway from its class path, no build step) at {@code /portal}. The page needs no token to load; everything
 * it shows comes from calls it makes with the bearer token of the identity signed in on it (ARM and
 * {@code /cirrus/**}), so the page itself reveals nothing.
 */
@RestController
class PortalPage {

    private static final Resource INDEX = new ClassPathResource("static/portal/index.html");

    @GetMapping({"/portal", "/portal/"})
    ResponseEntity<Resource> index() {
        return ResponseEntity.ok().contentType(MediaType.TEXT_HTML).cacheControl(CacheControl.noCache()).body(INDEX);
    }
}
