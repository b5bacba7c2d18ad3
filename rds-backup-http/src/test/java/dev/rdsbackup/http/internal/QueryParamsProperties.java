package dev.rdsbackup.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

@Label("Query parsing")
class QueryParamsProperties {

    @Provide
    Arbitrary<Map<String, String>> printableParameters() {
        Arbitrary<String> names = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> values = Arbitraries.strings().all().ofMaxLength(30)
                .filter(s -> s.chars().noneMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                        || Character.isSurrogate((char) c)));
        return Arbitraries.maps(names, values).ofMaxSize(6);
    }

    private static String encode(String s) {
        // URLEncoder writes a space as '+', which this API reads as a plus sign: encode spaces as %20 instead.
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Property
    @Label("percent-encoded parameters decode to exactly what was encoded")
    void roundTrip(@ForAll("printableParameters") Map<String, String> parameters) {
        String raw = parameters.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));

        QueryParams q = QueryParams.parse(raw);

        assertThat(q.violations()).isEmpty();
        assertThat(q.values()).isEqualTo(new LinkedHashMap<>(parameters));
    }

    @Property
    @Label("any raw query is parsed or refused with violations, never thrown at, and no violation echoes it")
    void neverThrows(@ForAll String raw) {
        QueryParams q = QueryParams.parse(raw);

        assertThat(q.violations()).allSatisfy(v -> {
            assertThat(v.field()).matches("[a-z_]+");
            if (raw.length() >= 8) {
                assertThat(v.message()).doesNotContain(raw);
            }
        });
    }

    @Property
    @Label("a control character, encoded or not, is a violation naming the parameter")
    void controlCharacters(@ForAll("controls") char control) {
        String raw = "limit=" + encode("1" + control);

        QueryParams q = QueryParams.parse(raw);

        assertThat(q.violations()).extracting(v -> v.field()).containsExactly("limit");
        assertThat(q.values()).doesNotContainKey("limit");
    }

    @Provide
    Arbitrary<Character> controls() {
        return Arbitraries.oneOf(Arbitraries.chars().range('\u0000', '\u001f'), Arbitraries.of('\u007f', '\u202e',
                '\u200b', '\u0085'));
    }

    @Example
    @Label("a plus sign stays a plus sign, so an unencoded time offset reads as sent")
    void plus() {
        QueryParams q = QueryParams.parse("begin_time=2026-01-01T08:00:00+0800");

        assertThat(q.get("begin_time")).isEqualTo("2026-01-01T08:00:00+0800");
    }
}
