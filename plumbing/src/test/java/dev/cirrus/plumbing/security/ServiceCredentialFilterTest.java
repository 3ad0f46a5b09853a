package dev.cirrus.plumbing.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.FilterChain;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

class ServiceCredentialFilterTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef-platform";
    private static final String LIST_KEYS =
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app/host/default/listkeys";

    private final ObjectMapper json = JsonMapper.builder().build();
    private final ServiceCredentialFilter filter = new ServiceCredentialFilter(new ServiceCredential(SECRET), json);

    private record Outcome(boolean passed, MockHttpServletResponse response) {
    }

    private Outcome call(String path, String... credentials) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", path);
        request.setRequestURI(path);
        for (String c : credentials) {
            request.addHeader(ServiceCredential.HEADER, c);
        }
        MockHttpServletResponse response = new MockHttpServletResponse();
        AtomicBoolean passed = new AtomicBoolean();
        FilterChain chain = (req, res) -> passed.set(true);
        filter.doFilter(request, response, chain);
        return new Outcome(passed.get(), response);
    }

    @Test
    void aCallWithoutTheCredentialIsA401WithAnArmErrorBody() throws Exception {
        Outcome outcome = call(LIST_KEYS);

        assertThat(outcome.passed()).isFalse();
        assertThat(outcome.response().getStatus()).isEqualTo(401);
        assertThat(outcome.response().getContentType()).startsWith("application/json");
        JsonNode error = json.readTree(outcome.response().getContentAsString()).get("error");
        assertThat(error.get("code").asString()).isEqualTo("AuthenticationFailed");
        assertThat(error.get("message").asString()).contains("gateway");
    }

    @Test
    void aCallWithTheCredentialPasses() throws Exception {
        assertThat(call(LIST_KEYS, SECRET).passed()).isTrue();
    }

    @Test
    void aWrongCredentialOrASecondValueBesideTheRightOneIsRefused() throws Exception {
        assertThat(call(LIST_KEYS, SECRET + "x").response().getStatus()).isEqualTo(401);
        assertThat(call(LIST_KEYS, SECRET.substring(1)).response().getStatus()).isEqualTo(401);
        assertThat(call(LIST_KEYS, "").response().getStatus()).isEqualTo(401);
        assertThat(call(LIST_KEYS, SECRET, "guess").passed()).isFalse();
    }

    @Test
    void theHealthProbesStayOpenButNoOtherActuatorEndpoint() throws Exception {
        assertThat(call("/actuator/health").passed()).isTrue();
        assertThat(call("/actuator/health/readiness").passed()).isTrue();
        assertThat(call("/actuator/healthy").response().getStatus()).isEqualTo(401);
        assertThat(call("/actuator/info").response().getStatus()).isEqualTo(401);
        assertThat(call("/actuator/health/../info").response().getStatus()).isEqualTo(401);
    }

    @Test
    void aServiceWithoutACredentialOrWithAShortOneDoesNotStart() {
        assertThatThrownBy(() -> new ServiceCredential(null)).hasMessageContaining("cirrus.service-credential");
        assertThatThrownBy(() -> new ServiceCredential("short")).hasMessageContaining("at least 32");
    }
}
