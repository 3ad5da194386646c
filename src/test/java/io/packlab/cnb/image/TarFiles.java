package io.packlab.cnb.image;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Reading tars back, and writing hostile ones, for the tests of this package. */
final class TarFiles {

    record Read(TarArchiveEntry entry, byte[] content) {
    }

    private TarFiles() {
    }

    static List<Read> read(Path tar) throws IOException {
        try (InputStream in = Files.newInputStream(tar)) {
            return read(in);
        }
    }

    static List<Read> read(InputStream in) throws IOException {
        List<Read> all = new ArrayList<>();
        TarArchiveInputStream tar = new TarArchiveInputStream(in, "UTF-8");
        TarArchiveEntry e;
        while ((e = tar.getNextEntry()) != null) {
            all.add(new Read(e, tar.readAllBytes()));
        }
        return all;
    }

    static Map<String, Read> byName(List<Read> entries) {
        Map<String, Read> map = new LinkedHashMap<>();
        entries.forEach(r -> map.put(r.entry().getName(), r));
        return map;
    }

    /** A tar of raw entries: name, type, link target, content; names kept exactly (even absolute). */
    static byte[] hostile(List<TarArchiveEntry> entries, List<byte[]> contents) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (int i = 0; i < entries.size(); i++) {
                TarArchiveEntry e = entries.get(i);
                byte[] content = contents.get(i);
                if (content != null) {
                    e.setSize(content.length);
                }
                tar.putArchiveEntry(e);
                if (content != null) {
                    tar.write(content);
                }
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    static InputStream stream(byte[] bytes) {
        return new ByteArrayInputStream(bytes);
    }
}
