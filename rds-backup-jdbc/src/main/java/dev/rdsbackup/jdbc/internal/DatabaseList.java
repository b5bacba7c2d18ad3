package dev.rdsbackup.jdbc.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The database names of a partial backup as a JSON array of strings, so any name (commas, quotes,
 * brackets) survives the round trip and a person reading the table sees what it means.
 */
public final class DatabaseList {

    private DatabaseList() {
    }

    /**
     * Encodes names as a JSON array.
     *
     * @param names the names
     * @return for example {@code ["orders","users"]}, or {@code []}
     */
    public static String encode(List<String> names) {
        StringBuilder out = new StringBuilder(2 + names.size() * 16).append('[');
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append('"');
            String name = names.get(i);
            for (int j = 0; j < name.length(); j++) {
                char c = name.charAt(j);
                if (c == '"' || c == '\\') {
                    out.append('\\').append(c);
                } else if (c < 0x20) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
            out.append('"');
        }
        return out.append(']').toString();
    }

    /**
     * Decodes a JSON array of strings written by {@link #encode} (or by hand, with standard escapes).
     *
     * @param json the stored text
     * @return the names
     * @throws IllegalArgumentException if the text is not a JSON array of strings
     */
    public static List<String> decode(String json) {
        try {
            return parse(json.strip());
        } catch (IndexOutOfBoundsException | NumberFormatException e) {
            throw new IllegalArgumentException("database_names is not a well-formed JSON array of strings", e);
        }
    }

    private static List<String> parse(String text) {
        if (text.length() < 2 || text.charAt(0) != '[' || text.charAt(text.length() - 1) != ']') {
            throw new IllegalArgumentException("database_names is not a JSON array");
        }
        List<String> names = new ArrayList<>();
        int i = skipSpaces(text, 1);
        if (text.charAt(i) == ']') {
            return List.of();
        }
        while (true) {
            if (text.charAt(i) != '"') {
                throw new IllegalArgumentException("database_names holds something other than strings");
            }
            StringBuilder name = new StringBuilder();
            i++;
            while (text.charAt(i) != '"') {
                char c = text.charAt(i++);
                if (c == '\\') {
                    char escaped = text.charAt(i++);
                    switch (escaped) {
                        case 'u' -> {
                            name.append((char) Integer.parseInt(text.substring(i, i + 4), 16));
                            i += 4;
                        }
                        case 'n' -> name.append('\n');
                        case 't' -> name.append('\t');
                        case 'r' -> name.append('\r');
                        case 'b' -> name.append('\b');
                        case 'f' -> name.append('\f');
                        default -> name.append(escaped);
                    }
                } else {
                    name.append(c);
                }
            }
            names.add(name.toString());
            i = skipSpaces(text, i + 1);
            if (text.charAt(i) == ']') {
                if (i != text.length() - 1) {
                    throw new IllegalArgumentException("database_names has text after its array");
                }
                return List.copyOf(names);
            }
            if (text.charAt(i) != ',') {
                throw new IllegalArgumentException("database_names is not a JSON array of strings");
            }
            i = skipSpaces(text, i + 1);
        }
    }

    private static int skipSpaces(String text, int from) {
        int i = from;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        if (i >= text.length()) {
            throw new IllegalArgumentException("database_names ends early");
        }
        return i;
    }
}
