package dev.rdsbackup.http.internal;

import java.util.List;
import java.util.Locale;

/** Reads {@code Content-Type}: a body must be {@code application/json}, in UTF-8 if a charset is named. */
public final class MediaTypes {

    private MediaTypes() {
    }

    /**
     * Whether the request's content type is JSON in UTF-8.
     *
     * @param values every {@code Content-Type} value sent
     * @return {@code true} for exactly one value, {@code application/json} with no parameter other than
     *     {@code charset=utf-8} (in any case, quoted or not)
     */
    public static boolean isJson(List<String> values) {
        if (values.size() != 1) {
            return false;
        }
        String[] parts = values.get(0).split(";", -1);
        if (!"application/json".equals(parts[0].trim().toLowerCase(Locale.ROOT))) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim().toLowerCase(Locale.ROOT).replace("\"", "");
            if (!p.isEmpty() && !"charset=utf-8".equals(p)) {
                return false;
            }
        }
        return true;
    }
}
