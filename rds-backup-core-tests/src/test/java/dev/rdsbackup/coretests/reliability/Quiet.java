package dev.rdsbackup.coretests.reliability;

import java.io.OutputStream;
import java.io.PrintStream;

/**
 * Runs code with {@code System.err} discarded: slf4j-simple writes the library's log lines there (it looks
 * {@code System.err} up at each write), and a thousand random lifecycles would print some hundred
 * thousand of them.
 */
final class Quiet {
    private static final PrintStream DISCARD = new PrintStream(OutputStream.nullOutputStream());

    private Quiet() {
    }

    static void run(Runnable body) {
        PrintStream err = System.err;
        System.setErr(DISCARD);
        try {
            body.run();
        } finally {
            System.setErr(err);
        }
    }
}
