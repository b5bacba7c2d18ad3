package dev.rdsbackup.http.internal;

import dev.rdsbackup.api.error.Violation;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A raw query string read strictly: {@code name=value} pairs split on {@code &}, percent-decoded as UTF-8. A
 * {@code +} stays a plus sign (no value of this API contains a space, and time offsets such as {@code +0800}
 * arrive unencoded from some clients). Malformed encoding, control characters and a parameter given twice are
 * violations naming the parameter, never echoing the value; empty pairs are skipped.
 *
 * @param values the decoded parameters by name, in the order sent
 * @param violations what is wrong, empty when nothing is
 */
public record QueryParams(Map<String, String> values, List<Violation> violations) {

    /** Copies both components. */
    public QueryParams {
        values = Map.copyOf(values);
        violations = List.copyOf(violations);
    }

    /**
     * Parses a raw query.
     *
     * @param rawQuery the query as sent, without {@code ?}, or {@code null}
     * @return the parameters and any violations
     */
    public static QueryParams parse(String rawQuery) {
        Map<String, String> values = new LinkedHashMap<>();
        List<Violation> violations = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return new QueryParams(values, violations);
        }
        for (String pair : rawQuery.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            Optional<String> name = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (name.isEmpty()) {
                violations.add(new Violation("query", "QueryEncoding",
                        "parameter names must be percent-encoded UTF-8 without control characters"));
                continue;
            }
            Optional<String> value = decode(eq < 0 ? "" : pair.substring(eq + 1));
            String field = WireFields.safeName(name.get());
            if (value.isEmpty()) {
                violations.add(new Violation(field, "QueryEncoding",
                        "must be percent-encoded UTF-8 without control characters"));
            } else if (values.putIfAbsent(name.get(), value.get()) != null) {
                violations.add(new Violation(field, "SingleValue", "must be given at most once"));
            }
        }
        return new QueryParams(values, violations);
    }

    /**
     * One parameter.
     *
     * @param name the parameter name
     * @return its decoded value, or {@code null} when absent
     */
    public String get(String name) {
        return values.get(name);
    }

    /**
     * Percent-decodes one name or value as UTF-8.
     *
     * @param raw the encoded text
     * @return the decoded text, or empty when the encoding is malformed or decodes to a control character
     */
    static Optional<String> decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return hasControl(raw) ? Optional.empty() : Optional.of(raw);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    return Optional.empty();
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return Optional.empty();
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else if (c > 0x7e) {
                return Optional.empty();
            } else {
                bytes.write(c);
            }
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
            return hasControl(text) ? Optional.empty() : Optional.of(text);
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static boolean hasControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                return true;
            }
        }
        return false;
    }
}
