package io.eltcdc.job.config;

import io.eltcdc.destination.DestinationProvider;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The destination types on the class path: every {@link DestinationProvider} that
 * {@link ServiceLoader} finds beside this class (the job jar, or destination jars added to it).
 */
public final class DestinationProviders {
    private final Map<String, DestinationProvider> byType;

    private DestinationProviders(Map<String, DestinationProvider> byType) {
        this.byType = byType;
    }

    /**
     * The providers of this class's class loader: in a Flink cluster the job's user-code class
     * loader, which holds the job jar and the jars added beside it.
     *
     * @throws IllegalStateException when two providers claim one type
     */
    public static DestinationProviders installed() {
        Map<String, DestinationProvider> byType = new TreeMap<>();
        for (DestinationProvider p :
                ServiceLoader.load(DestinationProvider.class, DestinationProviders.class.getClassLoader())) {
            DestinationProvider other = byType.put(p.type(), p);
            if (other != null) {
                throw new IllegalStateException("two destination providers of type '" + p.type() + "': "
                        + other.getClass().getName() + " and " + p.getClass().getName()
                        + "; remove one of the jars that hold them");
            }
        }
        return new DestinationProviders(byType);
    }

    /** The known types, by name. */
    public List<String> types() {
        return List.copyOf(byType.keySet());
    }

    /** @throws IllegalArgumentException for a type no provider has */
    public DestinationProvider forType(String type) {
        DestinationProvider p = byType.get(type);
        if (p == null) {
            throw new IllegalArgumentException(
                    "no destination of type '" + type + "' (known types: " + String.join(", ", types()) + ")");
        }
        return p;
    }

    /** Whether some type takes {@code key} in its section. */
    boolean anyTakes(String key) {
        return byType.values().stream()
                .anyMatch(p -> DestinationParser.keysOf(p).contains(key));
    }
}
