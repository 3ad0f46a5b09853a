package dev.cirrus.computevm.image;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.cirrus.plumbing.arm.ArmErrorAdvice;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

/** Custom images: none exists, so a lookup is Azure's ResourceNotFound and a list is empty. */
class CustomImageControllerTest {

    static final String SUB = "00000000-0000-0000-0000-000000000001";

    final MockMvc mvc = MockMvcBuilders.standaloneSetup(new CustomImageController())
            .setControllerAdvice(new ArmErrorAdvice()).build();

    @Test
    void anImageThatDoesNotExistIsResourceNotFound() throws Exception {
        mvc.perform(get("/subscriptions/" + SUB + "/resourceGroups/rg1/providers/Microsoft.Compute/images/img1"))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.error.code").value("ResourceNotFound"))
                .andExpect(jsonPath("$.error.message").value(
                        "The Resource 'Microsoft.Compute/images/img1' under resource group 'rg1' was not found."));
    }

    @Test
    void theImageListsAreEmpty() throws Exception {
        mvc.perform(get("/subscriptions/" + SUB + "/resourceGroups/rg1/providers/Microsoft.Compute/images"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.value", Matchers.empty()));
        mvc.perform(get("/subscriptions/" + SUB + "/providers/Microsoft.Compute/images"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.value", Matchers.empty()));
    }
}
