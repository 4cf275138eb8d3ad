package io.eltcdc.source.log;

import java.util.Locale;

/**
 * The PostgreSQL replication slot and publication of a pipeline, named after it: {@code elt_cdc_}
 * and the pipeline name in lower case, other characters than letters, digits and {@code _} replaced
 * by {@code _} (slot names allow nothing else), at most 63 characters.
 */
public final class ReplicationNames {
    private static final int MAX_LENGTH = 63;

    private ReplicationNames() {}

    public static String slot(String pipeline) {
        return name(pipeline);
    }

    public static String publication(String pipeline) {
        return name(pipeline);
    }

    private static String name(String pipeline) {
        String name = "elt_cdc_" + pipeline.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        return name.length() <= MAX_LENGTH ? name : name.substring(0, MAX_LENGTH);
    }
}
