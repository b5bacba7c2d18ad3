package dev.rdsbackup.benchmarks;

import dev.rdsbackup.api.BackupRequest;
import dev.rdsbackup.api.error.BackupValidationException;
import dev.rdsbackup.api.error.Violation;
import dev.rdsbackup.core.internal.RequestValidator;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Figure 1: validating one create request, valid and invalid (a bad name and a bad description).
 *
 * <ul>
 *   <li>{@code library*}: {@link RequestValidator#validate}, the exact call {@code DefaultBackupService.create}
 *       makes first; an invalid request ends in a {@link BackupValidationException} listing every violation,
 *       sorted by field (its stack trace included).</li>
 *   <li>{@code bareHv*}: {@code validator.validate(request)} on the same Hibernate Validator, the annotations
 *       alone. Target: library at most 1.2x this.</li>
 *   <li>{@code handWritten*}: the same rules as plain Java, the floor.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class ValidationBenchmark {

    private Validator validator;
    private RequestValidator library;
    private BackupRequest valid;
    private BackupRequest invalid;

    /** Builds the validator once, as a service does. */
    @Setup
    public void setUp() {
        validator = Fixtures.hibernateValidator();
        library = new RequestValidator(validator);
        valid = Fixtures.validRequest();
        invalid = Fixtures.invalidRequest();
    }

    /** The library on a valid request. */
    @Benchmark
    public Object libraryValid() {
        return library.validate(valid);
    }

    /** The library on an invalid request: the exception a caller gets. */
    @Benchmark
    public Object libraryInvalid() {
        try {
            return library.validate(invalid);
        } catch (BackupValidationException e) {
            return e.violations();
        }
    }

    /** Bare Hibernate Validator on a valid request. */
    @Benchmark
    public Set<ConstraintViolation<BackupRequest>> bareHvValid() {
        return validator.validate(valid);
    }

    /** Bare Hibernate Validator on an invalid request. */
    @Benchmark
    public Set<ConstraintViolation<BackupRequest>> bareHvInvalid() {
        return validator.validate(invalid);
    }

    /** Hand-written checks on a valid request. */
    @Benchmark
    public List<Violation> handWrittenValid() {
        return HandWritten.check(valid);
    }

    /** Hand-written checks on an invalid request. */
    @Benchmark
    public List<Violation> handWrittenInvalid() {
        return HandWritten.check(invalid);
    }

    /** The request rules written out by hand: what validation costs at the least. */
    static final class HandWritten {
        private HandWritten() {
        }

        static List<Violation> check(BackupRequest r) {
            List<Violation> out = null;
            if (!resourceId(r.projectId())) {
                out = add(out, new Violation("projectId", "ResourceId", "bad id"));
            }
            if (!resourceId(r.instanceId())) {
                out = add(out, new Violation("instanceId", "ResourceId", "bad id"));
            }
            if (!name(r.name())) {
                out = add(out, new Violation("name", "BackupName", "bad name"));
            }
            if (r.description() != null && !description(r.description())) {
                out = add(out, new Violation("description", "BackupDescription", "bad description"));
            }
            if (r.databases().size() > BackupRequest.MAX_DATABASES) {
                out = add(out, new Violation("databases", "Size", "too many"));
            }
            if (r.clientToken() != null && !token(r.clientToken())) {
                out = add(out, new Violation("clientToken", "ClientToken", "bad token"));
            }
            return out == null ? List.of() : out;
        }

        private static List<Violation> add(List<Violation> out, Violation v) {
            List<Violation> list = out == null ? new ArrayList<>(2) : out;
            list.add(v);
            return list;
        }

        private static boolean resourceId(String s) {
            int n = s.length();
            if (n < 1 || n > 64) {
                return false;
            }
            for (int i = 0; i < n; i++) {
                if (!idChar(s.charAt(i))) {
                    return false;
                }
            }
            return true;
        }

        private static boolean token(String s) {
            int n = s.length();
            if (n < 1 || n > 64) {
                return false;
            }
            for (int i = 0; i < n; i++) {
                if (s.charAt(i) < 0x20 || s.charAt(i) > 0x7E) {
                    return false;
                }
            }
            return true;
        }

        private static boolean name(String s) {
            int n = s.length();
            if (n < 4 || n > 64 || !letter(s.charAt(0))) {
                return false;
            }
            for (int i = 1; i < n; i++) {
                if (!idChar(s.charAt(i))) {
                    return false;
                }
            }
            return true;
        }

        private static boolean description(String s) {
            if (s.length() > 256) {
                return false;
            }
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '>' || c == '<' || c == '!' || c == '"' || c == '&' || c == '\'' || c == '='
                        || Character.getType(c) == Character.CONTROL || Character.getType(c) == Character.FORMAT) {
                    return false;
                }
            }
            return true;
        }

        private static boolean letter(char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        }

        private static boolean idChar(char c) {
            return letter(c) || (c >= '0' && c <= '9') || c == '-' || c == '_';
        }
    }
}
