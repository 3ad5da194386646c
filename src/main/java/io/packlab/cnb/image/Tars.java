package io.packlab.cnb.image;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * What every tar packlab writes shares: the fixed mtime, no user or group names, and PAX headers for
 * long or non-ASCII names written here rather than by commons-compress, whose own PAX entries carry
 * the {@code user.name} of whoever runs the program and so would change the digest from one user to
 * the next.
 */
final class Tars {

    /** The mtime of every entry, as lifecycle writes it ({@code SOURCE_DATE_EPOCH} unset). */
    static final Instant EPOCH = Instant.parse("1980-01-01T00:00:01Z");

    /** The longest name the ustar header holds (commons-compress needs it one short of the field). */
    private static final int USTAR_NAME = TarConstants.NAMELEN - 1;

    private Tars() {
    }

    static TarArchiveOutputStream open(OutputStream out) {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, TarConstants.DEFAULT_RCDSIZE, "UTF-8");
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_ERROR); // never its own PAX entries: see above
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_STAR);
        tar.setAddPaxHeadersForNonAsciiNames(false);
        return tar;
    }

    /** A new entry with packlab's fixed fields; the caller sets the size (files) or the link name. */
    static TarArchiveEntry entry(String name, byte type, int uid, int gid, int mode) {
        TarArchiveEntry e = new TarArchiveEntry(name, type);
        e.setModTime(Date.from(EPOCH));
        e.setUserName("");
        e.setGroupName("");
        e.setUserId(uid);
        e.setGroupId(gid);
        e.setMode(mode);
        return e;
    }

    /**
     * Puts an entry, preceded by a PAX header with {@code path}/{@code linkpath} when the name or link
     * target does not fit the ustar header (or is not ASCII); the header fields then hold an ASCII stand-in.
     */
    static void put(TarArchiveOutputStream tar, TarArchiveEntry entry) throws IOException {
        String name = entry.getName();
        String link = entry.getLinkName();
        boolean longName = !fits(name);
        boolean longLink = link != null && !link.isEmpty() && !fits(link);
        if (longName || longLink) {
            StringBuilder records = new StringBuilder();
            if (longName) {
                records.append(record("path", name));
            }
            if (longLink) {
                records.append(record("linkpath", link));
            }
            byte[] body = records.toString().getBytes(StandardCharsets.UTF_8);
            String base = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
            TarArchiveEntry pax = entry("PaxHeaders/" + base.substring(base.lastIndexOf('/') + 1),
                    TarConstants.LF_PAX_EXTENDED_HEADER_LC, 0, 0, 0644);
            pax.setName(standIn(pax.getName()));
            pax.setSize(body.length);
            tar.putArchiveEntry(pax);
            tar.write(body);
            tar.closeArchiveEntry();
            if (longName) {
                entry.setName(standIn(name));
            }
            if (longLink) {
                entry.setLinkName(standIn(link));
            }
        }
        tar.putArchiveEntry(entry);
    }

    private static boolean fits(String name) {
        return name.getBytes(StandardCharsets.UTF_8).length <= USTAR_NAME && name.chars().allMatch(c -> c < 0x80);
    }

    private static String standIn(String name) {
        StringBuilder ascii = new StringBuilder();
        name.chars().forEach(c -> ascii.append(c < 0x80 ? (char) c : '_'));
        return ascii.length() <= USTAR_NAME ? ascii.toString() : ascii.substring(0, USTAR_NAME);
    }

    /** One PAX record, {@code "<length> <key>=<value>\n"}, whose length counts its own digits. */
    static String record(String key, String value) {
        int rest = 1 + key.length() + 1 + value.getBytes(StandardCharsets.UTF_8).length + 1;
        int length = rest + Integer.toString(rest).length();
        if (Integer.toString(length).length() != Integer.toString(rest).length()) {
            length++;
        }
        return length + " " + key + "=" + value + "\n";
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no SHA-256", e);
        }
    }

    static String sha256(byte[] bytes) {
        return "sha256:" + HexFormat.of().formatHex(sha256().digest(bytes));
    }

    /** The caller's stream, left open when the tar around it is closed. */
    static OutputStream unclosable(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                out.flush();
            }
        };
    }
}
