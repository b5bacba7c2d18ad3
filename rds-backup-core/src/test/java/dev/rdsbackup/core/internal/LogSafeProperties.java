package dev.rdsbackup.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.CompletionException;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;

class LogSafeProperties {

    @Property
    @Label("escaped text has no control, formatting or console-special characters and no line breaks")
    void escapedTextIsOneSafeLine(@ForAll String text) {
        String safe = LogSafe.escape(text);
        safe.chars().forEach(c -> {
            assertThat(Character.isISOControl(c)).as("control char %04x", c).isFalse();
            assertThat(Character.getType(c)).as("format char %04x", c).isNotEqualTo((int) Character.FORMAT);
            assertThat("<>&\"'=!".indexOf(c)).as("special char %c", (char) c).isEqualTo(-1);
        });
    }

    @Property
    @Label("escaped text is never much longer than the limit")
    void escapedTextIsBounded(@ForAll String text) {
        assertThat(LogSafe.escape(text).length()).isLessThanOrEqualTo(200 * 6 + 40);
    }

    @Example
    @Label("plain ASCII words pass unchanged")
    void plainTextPasses() {
        assertThat(LogSafe.escape("disk full on node-3")).isEqualTo("disk full on node-3");
    }

    @Example
    @Label("a forged log line and an HTML fragment are neutralised")
    void forgedLinesAreEscaped() {
        assertThat(LogSafe.escape("ok\nINFO fake <b>")).isEqualTo("ok\\u000aINFO fake \\u003cb\\u003e");
    }

    @Example
    @Label("describing a wrapped failure names the root cause and escapes its message")
    void describesRootCause() {
        Throwable wrapped = new CompletionException(new IOException("bad\rthing"));
        assertThat(LogSafe.describe(wrapped)).isEqualTo("IOException: bad\\u000dthing");
    }
}
