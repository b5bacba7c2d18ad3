package dev.rdsbackup.api.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The README's table of error codes")
class ReadmeErrorTableTest {

    /** A row of the table: | `CODE` | 409 | yes | meaning | where |. */
    private static final Pattern ROW =
            Pattern.compile("^\\| `([A-Z_]+)` \\| (\\d{3}) \\| (yes|no) \\| (.+?) \\| (.+?) \\|$", Pattern.MULTILINE);

    private static Map<String, Matcher> rows;

    @BeforeAll
    static void readTheReadme() throws IOException {
        // Surefire runs in the module directory; the README is at the top of the repository.
        Path readme = Path.of("..", "README.md");
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        rows = new LinkedHashMap<>();
        Matcher m = ROW.matcher(text);
        while (m.find()) {
            Matcher row = ROW.matcher(m.group());
            row.find();
            assertThat(rows.put(m.group(1), row)).as("rows for %s", m.group(1)).isNull();
        }
    }

    @Test
    void hasARowForEveryCodeAndNoOther() {
        assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(ErrorCode.values()).map(Enum::name).collect(Collectors.toList()));
    }

    @Test
    void listsTheCodesInTheirDeclarationOrder() {
        assertThat(rows.keySet()).containsExactly(
                Arrays.stream(ErrorCode.values()).map(Enum::name).toArray(String[]::new));
    }

    @Test
    void givesEachCodeItsHttpStatusAndRetryability() {
        for (ErrorCode code : ErrorCode.values()) {
            Matcher row = rows.get(code.name());
            assertThat(row).as("row of %s", code).isNotNull();
            assertThat(Integer.parseInt(row.group(2))).as("HTTP status of %s", code).isEqualTo(code.httpStatus());
            assertThat(row.group(3)).as("retryable of %s", code).isEqualTo(code.retryable() ? "yes" : "no");
        }
    }

    @Test
    void saysWhereEachCodeAppears() {
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(rows).as("rows").containsKey(code.name());
            assertThat(rows.get(code.name()).group(5)).as("where %s appears", code)
                    .containsAnyOf("thrown", "failure reason");
        }
    }
}
