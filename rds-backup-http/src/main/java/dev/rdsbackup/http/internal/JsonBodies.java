package dev.rdsbackup.http.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.rdsbackup.api.error.Violation;
import dev.rdsbackup.http.HttpLimits;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads request bodies: strict UTF-8, one JSON object, no duplicate fields, no trailing content, nesting and
 * token sizes bounded by {@link StreamReadConstraints}; then the fields the operation needs, each checked for its
 * JSON type. Unknown fields are ignored (newer clients send fields this server does not know) and {@code null}
 * counts as absent (some clients write every field). Nothing of the body ever reaches a message or a log:
 * violations name the field and the rule only.
 */
public final class JsonBodies {

    private static final String BODY = "body";

    private final ObjectMapper mapper;
    private final int maxDepth;

    /**
     * Creates the reader.
     *
     * @param limits the body and nesting limits
     */
    public JsonBodies(HttpLimits limits) {
        this.maxDepth = limits.maxJsonDepth();
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxJsonDepth())
                        .maxStringLength(limits.maxBodyBytes())
                        .maxNumberLength(32)
                        .maxNameLength(256)
                        .maxDocumentLength(limits.maxBodyBytes())
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.mapper = JsonMapper.builder(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    }

    /** The fields of a create request; {@code null} where absent or of the wrong type. */
    public record CreateBody(String instanceId, String name, String description, List<String> databases) {
    }

    /**
     * Reads a create request: {@code instance_id} and {@code name} (strings, required), {@code description}
     * (string), {@code databases} (array of {@code {"name": string}}).
     *
     * @param body the raw body
     * @param violations where problems are added
     * @return the fields, or empty when the body is not a JSON object at all
     */
    public Optional<CreateBody> create(byte[] body, List<Violation> violations) {
        return object(body, violations).map(o -> new CreateBody(
                requiredString(o, "instance_id", violations),
                requiredString(o, "name", violations),
                optionalString(o, "description", violations),
                databases(o, violations)));
    }

    /**
     * Reads a batch delete request: {@code backup_ids}, an array of strings (required).
     *
     * @param body the raw body
     * @param violations where problems are added
     * @return the ids, or empty when the body or the field is unusable
     */
    public Optional<List<String>> batchDelete(byte[] body, List<Violation> violations) {
        Optional<JsonNode> o = object(body, violations);
        if (o.isEmpty()) {
            return Optional.empty();
        }
        Optional<JsonNode> array = array(o.get(), "backup_ids", true, "must be an array of strings", violations);
        if (array.isEmpty()) {
            return Optional.empty();
        }
        JsonNode ids = array.get();
        List<String> out = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            JsonNode id = ids.get(i);
            if (id.isTextual()) {
                out.add(id.textValue());
            } else {
                violations.add(new Violation("backup_ids[" + i + "]", "JsonType", "must be a string"));
            }
        }
        return Optional.of(out);
    }

    private Optional<JsonNode> object(byte[] body, List<Violation> violations) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            violations.add(new Violation(BODY, "Utf8", "must be UTF-8"));
            return Optional.empty();
        }
        JsonNode node;
        try {
            node = mapper.readTree(text);
        } catch (StreamConstraintsException e) {
            violations.add(new Violation(BODY, "JsonLimits",
                    "must nest at most " + maxDepth + " levels deep and keep numbers and names short"));
            return Optional.empty();
        } catch (JsonProcessingException e) {
            violations.add(new Violation(BODY, "JsonSyntax",
                    "must be one well-formed JSON value without duplicate fields"));
            return Optional.empty();
        }
        if (node == null || !node.isObject()) {
            violations.add(new Violation(BODY, "JsonType", "must be a JSON object"));
            return Optional.empty();
        }
        return Optional.of(node);
    }

    private static String requiredString(JsonNode o, String field, List<Violation> violations) {
        return requiredString(o, field, violations, field);
    }

    private static String optionalString(JsonNode o, String field, List<Violation> violations) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? null : string(v, field, violations);
    }

    private static String string(JsonNode v, String field, List<Violation> violations) {
        if (!v.isTextual()) {
            violations.add(new Violation(field, "JsonType", "must be a string"));
            return null;
        }
        return v.textValue();
    }

    /** An array field: empty when absent or null (a violation if required) or not an array (a violation). */
    private static Optional<JsonNode> array(JsonNode o, String field, boolean required, String typeMessage,
            List<Violation> violations) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                violations.add(new Violation(field, "NotNull", "must not be null"));
            }
            return Optional.empty();
        }
        if (!v.isArray()) {
            violations.add(new Violation(field, "JsonType", typeMessage));
            return Optional.empty();
        }
        return Optional.of(v);
    }

    private static List<String> databases(JsonNode o, List<Violation> violations) {
        Optional<JsonNode> array = array(o, "databases", false, "must be an array of {\"name\": string} objects",
                violations);
        if (array.isEmpty()) {
            return List.of();
        }
        JsonNode v = array.get();
        List<String> names = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            JsonNode db = v.get(i);
            String field = "databases[" + i + "].name";
            if (!db.isObject()) {
                violations.add(new Violation("databases[" + i + "]", "JsonType", "must be a {\"name\": string} object"));
            } else {
                String name = requiredString(db, "name", violations, field);
                if (name != null) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    private static String requiredString(JsonNode o, String key, List<Violation> violations, String field) {
        JsonNode v = o.get(key);
        if (v == null || v.isNull()) {
            violations.add(new Violation(field, "NotNull", "must not be null"));
            return null;
        }
        return string(v, field, violations);
    }
}
