package io.packlab.cnb.platform;

import io.packlab.cnb.descriptor.BuildpackApi;

/** A buildpack of a group that detection tries, as it runs in a build: where it lives and where its layers go. */
record GroupMember(String id, String version, BuildpackApi api, String homepage, boolean optional) {

    static GroupMember of(DetectionOrder.Member m) {
        return new GroupMember(m.id(), m.version(), m.api(), m.homepage(), m.optional());
    }

    DetectionOrder.Member member() {
        return new DetectionOrder.Member(id, version, api, homepage, optional);
    }

    /** Its folder in the builder, {@code /cnb/buildpacks/<id>/<version>}. */
    String dir() {
        return Cnb.buildpackDir(id, version);
    }

    /** Its layers folder, {@code /layers/<escaped id>}. */
    String layersDir() {
        return Cnb.LAYERS_DIR + "/" + Cnb.escape(id);
    }

    String key() {
        return id + "@" + version;
    }
}
