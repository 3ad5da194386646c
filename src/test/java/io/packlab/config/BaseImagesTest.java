package io.packlab.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which local base stands in for a build context, by mode. */
class BaseImagesTest {

    private static final BaseImages BASES = new BaseImages(BaseImages.Mode.AUTO, List.of(
            new BaseImages.LocalBase(BaseImages.BUILD_STACK_CONTEXT, "BASE_IMAGE", "packlab-base/debian:bookworm-slim"),
            new BaseImages.LocalBase("stacks/distroless-python/run", "BASE_IMAGE", "packlab-base/distroless")));

    @Test
    void theLocalBaseOfAContextUnlessTheModeIsPublic() {
        assertEquals(Optional.of("packlab-base/debian:bookworm-slim"), BASES.localFor(BaseImages.BUILD_STACK_CONTEXT));
        assertEquals(Optional.of("packlab-base/debian:bookworm-slim"),
                BASES.withMode(BaseImages.Mode.LOCAL).localFor(BaseImages.BUILD_STACK_CONTEXT));
        assertEquals(Optional.empty(), BASES.withMode(BaseImages.Mode.PUBLIC).localFor(BaseImages.BUILD_STACK_CONTEXT));
        assertEquals(Optional.empty(), BASES.localFor("stacks/other"));
    }
}
