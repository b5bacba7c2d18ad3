package dev.rdsbackup.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("LogSafe writes outside text as one safe, bounded line")
class LogSafeTest {
    @Test
    @DisplayName("null reads \"null\"")
    void nullText() {
        assertThat(LogSafe.escape(null)).isEqualTo("null");
    }

    @Test
    @DisplayName("every character consoles or HTML treat specially is escaped as \\u and four hex digits")
    void specials() {
        assertThat(LogSafe.escape("<>&\"'=!\\")).isEqualTo("\\u003c\\u003e\\u0026\\u0022\\u0027\\u003d\\u0021\\u005c");
        assertThat(LogSafe.escape("a\u0000b\u001bc\u007fd\u2028e\u2029f\u200bg"))
                .isEqualTo("a\\u0000b\\u001bc\\u007fd\\u2028e\\u2029f\\u200bg");
    }

    @Test
    @DisplayName("a whole surrogate pair is kept; a lone half is escaped")
    void surrogates() {
        String smile = "\uD83D\uDE00";
        assertThat(LogSafe.escape("x" + smile + "y")).isEqualTo("x" + smile + "y");
        assertThat(LogSafe.escape("x\uD83Dy")).isEqualTo("x\\ud83dy");
        assertThat(LogSafe.escape("x\uDE00y")).isEqualTo("x\\ude00y");
        assertThat(LogSafe.escape("\uDE00\uD83D")).isEqualTo("\\ude00\\ud83d");
        assertThat(LogSafe.escape("end\uD83D")).isEqualTo("end\\ud83d");
    }

    @Test
    @DisplayName("text is cut after 200 characters, saying how much more there was, and never splits a pair")
    void cut() {
        String exactly = "a".repeat(200);
        assertThat(LogSafe.escape(exactly)).isEqualTo(exactly);
        assertThat(LogSafe.escape(exactly + "b")).isEqualTo(exactly + "...(1 more chars)");
        assertThat(LogSafe.escape("a".repeat(199) + "bb")).isEqualTo("a".repeat(199) + "b...(1 more chars)");
        String pairAcrossTheCut = "a".repeat(199) + "\uD83D\uDE00";
        assertThat(LogSafe.escape(pairAcrossTheCut)).isEqualTo("a".repeat(199) + "\\ud83d...(1 more chars)");
    }

    @Test
    @DisplayName("describe names the root cause under completion wrappers, escaped; a message-less one by class")
    void describe() {
        assertThat(LogSafe.describe(new CompletionException(new ExecutionException(new IOException("disk\nfull")))))
                .isEqualTo("IOException: disk\\u000afull");
        assertThat(LogSafe.describe(new IllegalStateException())).isEqualTo("IllegalStateException");
        CompletionException bare = new CompletionException("wrapper only", null);
        assertThat(LogSafe.unwrap(bare)).isSameAs(bare);
    }
}
