package io.eltcdc.destination;

import java.io.Serializable;

/** Creates the pipeline's {@link Destination} inside the load committer, from its configuration. */
@FunctionalInterface
public interface DestinationFactory extends Serializable {
    Destination create();
}
