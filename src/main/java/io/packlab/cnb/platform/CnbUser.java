package io.packlab.cnb.platform;

import io.packlab.engine.ImageDetails;

/** The CNB user of a builder ({@code CNB_USER_ID}, {@code CNB_GROUP_ID}): who runs buildpacks and owns their files. */
record CnbUser(int uid, int gid) {

    static CnbUser of(ImageDetails builder, String reference) {
        return new CnbUser(Images.intEnv(builder, reference, "CNB_USER_ID"),
                Images.intEnv(builder, reference, "CNB_GROUP_ID"));
    }

    /** As an exec's user: {@code uid:gid}. */
    String spec() {
        return uid + ":" + gid;
    }
}
