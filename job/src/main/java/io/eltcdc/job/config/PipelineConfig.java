package io.eltcdc.job.config;

import io.eltcdc.config.ConfigException;
import io.eltcdc.config.ConfigNode;
import io.eltcdc.config.YamlDocument;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A pipeline, read from its YAML file: sections {@code pipeline}, {@code source}, {@code staging}
 * and {@code destination}. Keys are kebab-case; unknown keys, wrong types and bad values are
 * {@link ConfigException}s naming the key. {@code ${env:NAME}} and {@code ${file:/path}} in any
 * string value are replaced by the environment variable or the file's content, except in secrets
 * (passwords, keys), which keep the reference and resolve it where a connection is opened (see
 * {@link io.eltcdc.config.Secret}). {@link #toString()} shows no secret.
 *
 * @param literalSecrets the keys of the secrets the file writes itself, not as a reference: they
 *     travel inside the job as written
 */
public record PipelineConfig(
        PipelineSettings pipeline,
        SourceSettings source,
        StagingSettings staging,
        DestinationSettings destination,
        List<String> literalSecrets) {
    static final List<String> SECTIONS = List.of("pipeline", "source", "staging", "destination");

    public PipelineConfig {
        literalSecrets = List.copyOf(literalSecrets);
    }

    /**
     * One line per secret written in the file itself, saying that it travels inside the job and how to
     * keep it out; none when every secret is a reference.
     */
    public List<String> literalSecretWarnings() {
        return literalSecrets.stream()
                .map(key -> "warning: " + key + " is written in the pipeline file, so it travels inside the job"
                        + " (job graph, checkpoints); write \"${env:NAME}\" or \"${file:/path}\" to keep it out")
                .toList();
    }

    /** Reads {@code file}, resolving {@code ${env:…}} from this process's environment. */
    public static PipelineConfig load(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("", "cannot read pipeline file " + file + ": " + reason(e));
        }
        return parse(text, System::getenv);
    }

    /**
     * @param env environment lookup for {@code ${env:NAME}}: the value, or null when unset
     */
    public static PipelineConfig parse(String yaml, Function<String, String> env) throws ConfigException {
        Objects.requireNonNull(yaml, "yaml");
        Objects.requireNonNull(env, "env");
        ConfigNode root = new ConfigNode("", YamlDocument.load(yaml), env);
        root.checkNoUnknownKeys(SECTIONS);
        PipelineSettings pipeline = PipelineParser.parse(root.requiredSection("pipeline"));
        SourceSettings source = SourceParser.parse(root.requiredSection("source"));
        StagingSettings staging = StagingParser.parse(root.requiredSection("staging"), pipeline);
        DestinationSettings destination = DestinationParser.parse(root.requiredSection("destination"), staging);
        return new PipelineConfig(pipeline, source, staging, destination, root.literalSecrets());
    }

    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof CharacterCodingException) {
            return "the file is not UTF-8 text";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
