package io.eltcdc.config;

import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Loads the pipeline file's top-level mapping. Errors give SnakeYAML's problem with line and
 * column but never the snippet of the offending line, which may hold a secret.
 */
public final class YamlDocument {
    static final String SECTIONS = "pipeline, source, staging and destination";

    private YamlDocument() {}

    public static Map<?, ?> load(String text) throws ConfigException {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Object document;
        try {
            document = new Yaml(new SafeConstructor(options)).load(text);
        } catch (MarkedYAMLException e) {
            throw new ConfigException("", syntaxError(e, text));
        } catch (YAMLException e) {
            throw new ConfigException("", "not valid YAML: " + firstLine(e.getMessage()));
        } catch (RuntimeException e) {
            // e.g. a number with an explicit tag that does not parse; its message may quote a value
            throw new ConfigException(
                    "",
                    "not valid YAML: a value cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        if (document == null) {
            throw new ConfigException("", "the file is empty; expected a mapping with the sections " + SECTIONS);
        }
        if (!(document instanceof Map<?, ?> map)) {
            throw new ConfigException(
                    "", "expected a mapping with the sections " + SECTIONS + ", got " + Found.describe(document, true));
        }
        return map;
    }

    private static String syntaxError(MarkedYAMLException e, String text) {
        StringBuilder s = new StringBuilder("not valid YAML");
        Mark problem = e.getProblemMark();
        if (problem != null) {
            s.append(" at ").append(position(problem));
        }
        s.append(": ").append(e.getProblem() == null ? "syntax error" : firstLine(e.getProblem()));
        if (e.getContext() != null) {
            s.append(" (").append(firstLine(e.getContext()));
            if (e.getContextMark() != null) {
                s.append(" at ").append(position(e.getContextMark()));
            }
            s.append(")");
        }
        if (problem != null && line(text, problem.getLine()).contains("${")) {
            s.append("; a value containing ${env:…} inside { … } must be quoted");
        }
        return s.toString();
    }

    private static String line(String text, int index) {
        String[] lines = text.split("\\R", -1);
        return index >= 0 && index < lines.length ? lines[index] : "";
    }

    private static String position(Mark mark) {
        return "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
    }

    private static String firstLine(String text) {
        String t = text == null ? "" : text.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }
}
