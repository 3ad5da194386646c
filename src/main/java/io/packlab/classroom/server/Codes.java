package io.packlab.classroom.server;

import io.packlab.error.PacklabException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.regex.Pattern;

/** The secret path parts of a classroom: 26 characters of lower-case base32 (a-z2-7) from 128 random bits. */
public final class Codes {

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
    private static final Pattern FORM = Pattern.compile("[a-z2-7]{26}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Codes() {
    }

    /** A new code: 128 bits of SecureRandom in 26 base32 characters (the last carries 3 bits). */
    public static String random() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        StringBuilder sb = new StringBuilder(26);
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                sb.append(ALPHABET.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        sb.append(ALPHABET.charAt((buffer << (5 - bits)) & 31));
        return sb.toString();
    }

    /** Whether {@code code} has the form of a code. */
    public static boolean wellFormed(String code) {
        return code != null && FORM.matcher(code).matches();
    }

    /** A code given by the instructor (--code, --room-code), or exit code 2 saying what its form is. */
    public static String given(String option, String code) {
        if (!wellFormed(code)) {
            throw PacklabException.usage(option + " takes a code as `classroom serve` printed it: 26 characters of"
                    + " a-z and 2-7" + (code == null ? "" : ", not `" + io.packlab.error.Texts.word(code) + "` ("
                    + code.length() + " characters)") + ". Copy it from the join line of the server you restart.");
        }
        return code;
    }

    /** Compares a code from a request with the right one in constant time. */
    static boolean matches(String right, String candidate) {
        return candidate != null && MessageDigest.isEqual(right.getBytes(StandardCharsets.UTF_8),
                candidate.getBytes(StandardCharsets.UTF_8));
    }
}
