package io.eltcdc.destination.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.config.ConfigException;
import io.eltcdc.config.ConfigNode;
import io.eltcdc.config.YamlDocument;
import io.eltcdc.destination.DestinationConfig;
import io.eltcdc.destination.DestinationProvider;
import io.eltcdc.destination.StagingLocation;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Function;

/** A destination's provider as the job finds it (ServiceLoader), for tests of its section. */
public final class RegisteredProviders {
    private RegisteredProviders() {}

    /** The provider of {@code type}, asserting that exactly one is registered in META-INF/services. */
    public static DestinationProvider of(String type) {
        List<DestinationProvider> found = ServiceLoader.load(DestinationProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.type().equals(type))
                .toList();
        assertThat(found).as("providers of type %s in META-INF/services", type).hasSize(1);
        return found.get(0);
    }

    /**
     * The provider's reading of a {@code destination} section, given as YAML of its keys (errors
     * name paths under {@code destination}, as in a pipeline file).
     */
    public static DestinationConfig parse(
            String type, String sectionYaml, Function<String, String> env, StagingLocation staging)
            throws ConfigException {
        return of(type).parse(new ConfigNode("destination", YamlDocument.load(sectionYaml), env), staging);
    }
}
