package io.eltcdc.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets keep their reference, resolve it at each use, and fail with the key's path when they cannot. */
class SecretTest {
    private static final String MARKER = "m4rker-only-in-the-secret-file";

    @TempDir
    Path tmp;

    private Secret secret(String yamlValue, Map<String, String> env) throws ConfigException {
        ConfigNode source =
                new ConfigNode("", Map.of("source", Map.of("password", yamlValue)), env::get).requiredSection("source");
        return source.optionalSecret("password");
    }

    @Test
    void fileReferenceReadsTheFileWithOneTrailingNewlineStripped() throws Exception {
        Path file = write("password", MARKER + "\n");
        assertThat(secret("${file:" + file + "}", Map.of()).value()).isEqualTo(MARKER);

        write("password", MARKER + "\n\n");
        assertThat(secret("${file:" + file + "}", Map.of()).value())
                .as("only one newline is stripped")
                .isEqualTo(MARKER + "\n");

        write("password", MARKER + "\r\n");
        assertThat(secret("${file:" + file + "}", Map.of()).value()).isEqualTo(MARKER);

        write("password", " spaced " + MARKER);
        assertThat(secret("${file:" + file + "}", Map.of()).value()).isEqualTo(" spaced " + MARKER);
    }

    @Test
    void referencesMayBeEmbedded() throws Exception {
        Path file = write("part", "file-part\n");
        Secret s = secret("a-${env:PART}-${file:" + file + "}-z", Map.of("PART", "env-part"));
        assertThat(s.value()).isEqualTo("a-env-part-file-part-z");
        assertThat(s.isLiteral()).isFalse();
    }

    @Test
    void missingFileIsAnErrorNamingTheKeyAndTheFile() {
        Path missing = tmp.resolve("nope");
        assertThatThrownBy(() -> secret("${file:" + missing + "}", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("source.password: file " + missing + " does not exist (the value refers to ${file:"
                        + missing + "}); create it or mount the secret there");
    }

    @Test
    void emptyFileIsAnError() throws Exception {
        Path file = write("empty", "");
        assertThatThrownBy(() -> secret("${file:" + file + "}", Map.of()))
                .hasMessage("source.password: file " + file + " is empty (the value refers to ${file:" + file
                        + "}); write the secret in it");
        write("empty", "\n");
        assertThatThrownBy(() -> secret("${file:" + file + "}", Map.of()))
                .as("a lone newline is empty too")
                .hasMessageContaining("is empty");
    }

    @Test
    void directoryAndRelativePathAreErrors() {
        assertThatThrownBy(() -> secret("${file:" + tmp + "}", Map.of()))
                .hasMessage("source.password: " + tmp + " is a directory, not a file (the value refers to ${file:" + tmp
                        + "})");
        assertThatThrownBy(() -> secret("${file:relative/pw}", Map.of()))
                .hasMessage("source.password: malformed file reference at character 1; expected"
                        + " ${file:/absolute/path} (an absolute path, without })");
    }

    @Test
    void unsetVariableIsAnErrorNamingTheKey() {
        assertThatThrownBy(() -> secret("${env:ELT_SECRET_TEST_UNSET}", Map.of()))
                .hasMessage("source.password: environment variable ELT_SECRET_TEST_UNSET is not set (the value"
                        + " refers to ${env:ELT_SECRET_TEST_UNSET}); set it or write the value in the file");
    }

    @Test
    void resolvedAgainAtEachUseWithTheSameMessage() throws Exception {
        Path file = write("rotating", "first\n");
        Secret s = secret("${file:" + file + "}", Map.of());
        assertThat(s.value()).isEqualTo("first");
        write("rotating", "second\n");
        assertThat(s.value()).as("a rotated secret is read again").isEqualTo("second");

        Files.delete(file);
        assertThatThrownBy(s::value)
                .isInstanceOf(SecretUnavailableException.class)
                .hasMessage("source.password: file " + file + " does not exist (the value refers to ${file:" + file
                        + "}); create it or mount the secret there")
                .satisfies(
                        e -> assertThat(((SecretUnavailableException) e).key()).isEqualTo("source.password"));
    }

    @Test
    void serializedFormHoldsTheReferenceNotTheValue() throws Exception {
        Path file = write("pw", MARKER + "\n");
        Secret fromFile = secret("${file:" + file + "}", Map.of());
        Secret fromEnv = secret("${env:ELT_SECRET_TEST_PW}", Map.of("ELT_SECRET_TEST_PW", MARKER));
        for (Secret s : new Secret[] {fromFile, fromEnv}) {
            byte[] bytes = serialize(s);
            assertThat(contains(bytes, MARKER)).isFalse();
            assertThat(contains(bytes, Base64.getEncoder().encodeToString(MARKER.getBytes(StandardCharsets.UTF_8))))
                    .isFalse();
        }
        Secret copy = (Secret) deserialize(serialize(fromFile));
        assertThat(copy.value()).as("resolved again where it arrives").isEqualTo(MARKER);
        assertThat(copy).hasToString("****");
    }

    @Test
    void literalIsKeptAsWrittenAndReported() throws Exception {
        ConfigNode root = new ConfigNode(
                "",
                Map.of("source", Map.of("password", "lit3ral"), "staging", Map.of("secret-key", "${env:K}")),
                Map.of("K", "k")::get);
        Secret literal = root.requiredSection("source").optionalSecret("password");
        root.requiredSection("staging").optionalSecret("secret-key");
        assertThat(literal.isLiteral()).isTrue();
        assertThat(literal.value()).isEqualTo("lit3ral");
        assertThat(root.literalSecrets()).containsExactly("source.password");
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(tmp.resolve(name), content, StandardCharsets.UTF_8);
    }

    private static byte[] serialize(Object o) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }

    private static Object deserialize(byte[] bytes) throws Exception {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return in.readObject();
        }
    }

    private static boolean contains(byte[] haystack, String needle) {
        return new String(haystack, StandardCharsets.ISO_8859_1).contains(needle);
    }
}
