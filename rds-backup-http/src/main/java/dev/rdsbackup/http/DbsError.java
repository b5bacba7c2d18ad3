package dev.rdsbackup.http;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How one refusal goes on the wire: its HTTP status and the {@code error_code} of the JSON body.
 *
 * @param httpStatus 400 to 599
 * @param code the {@code error_code}, such as {@code DBS.280001}: 1 to 32 ASCII letters, digits, {@code .},
 *     {@code _} and {@code -}
 */
public record DbsError(int httpStatus, String code) {

    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9._-]{1,32}");

    /** Checks the status range and the code's characters, naming the bad one. */
    public DbsError {
        if (httpStatus < 400 || httpStatus > 599) {
            throw new IllegalArgumentException("httpStatus must be 400 to 599, was " + httpStatus);
        }
        Objects.requireNonNull(code, "code");
        if (!CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("code must be 1 to 32 ASCII letters, digits, '.', '_' and '-'");
        }
    }

    @Override
    public String toString() {
        return httpStatus + " " + code;
    }
}
