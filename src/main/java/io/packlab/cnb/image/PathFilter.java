package io.packlab.cnb.image;

/** Which paths of a host folder go into a layer; paths are relative to the folder, {@code /}-separated. */
public interface PathFilter {

    /** Everything. */
    PathFilter ALL = new PathFilter() {
        @Override
        public boolean takes(String path, boolean directory) {
            return true;
        }

        @Override
        public boolean looksInside(String directory) {
            return true;
        }
    };

    /** Whether the file or folder at {@code path} is taken. */
    boolean takes(String path, boolean directory);

    /** Whether a folder that is not taken may hold paths that are (false: nothing in it is looked at). */
    boolean looksInside(String directory);
}
