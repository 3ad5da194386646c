package io.packlab.cnb.platform;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.packlab.cnb.descriptor.BuildpackApi;
import io.packlab.engine.ImageDetails;
import java.util.List;
import java.util.Map;

/** Images and buildpacks for unit tests of the build phases. */
final class Fixtures {

    private Fixtures() {
    }

    /** An image config with env, labels and diff IDs. */
    static ImageDetails image(String id, List<String> env, Map<String, String> labels, List<String> diffIds) {
        ObjectNode config = Images.JSON.createObjectNode();
        config.put("architecture", "amd64");
        config.put("os", "linux");
        ObjectNode c = config.putObject("config");
        env.forEach(c.putArray("Env")::add);
        ObjectNode l = c.putObject("Labels");
        labels.forEach(l::put);
        c.put("User", "1000:1000");
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        diffIds.forEach(rootfs.putArray("diff_ids")::add);
        config.putArray("history");
        return new ImageDetails(id, config);
    }

    static ImageDetails builder() {
        return image("sha256:builder", List.of("PATH=/usr/bin:/bin", "CNB_USER_ID=1000", "CNB_GROUP_ID=1001",
                "HOME=/home/cnb"), Map.of("io.buildpacks.base.distro.name", "debian"), List.of("sha256:b1"));
    }

    static ImageDetails run() {
        return image("sha256:run", List.of("PATH=/usr/local/bin:/usr/bin:/bin"), Map.of("io.buildpacks.stack.id",
                "io.packlab.stack"), List.of("sha256:r1", "sha256:r2"));
    }

    static GroupMember bp(String id, String api) {
        return new GroupMember(id, "1.0.0", BuildpackApi.parse(api), null, false);
    }
}
