package dev.rdsbackup.http.internal;

import java.util.concurrent.ThreadLocalRandom;

/** The default request ids: 32 random hex digits from the thread's own generator (no shared lock). */
public final class RequestIds {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private RequestIds() {
    }

    /**
     * A new request id.
     *
     * @return 32 lower-case hex digits
     */
    public static String random() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        char[] c = new char[32];
        hex(c, 0, r.nextLong());
        hex(c, 16, r.nextLong());
        return new String(c);
    }

    private static void hex(char[] into, int at, long value) {
        long v = value;
        for (int i = at + 15; i >= at; i--) {
            into[i] = HEX[(int) (v & 0xf)];
            v >>>= 4;
        }
    }
}
