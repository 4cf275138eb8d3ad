package io.eltcdc.source.mysql;

/**
 * The server id range the MySQL binlog reader registers with. Every replica of a MySQL server needs
 * its own id; without one configured, the pipeline name picks a range in 5400–1005399, so two
 * pipelines on one server rarely collide (set {@code source.server-id} when they do).
 */
final class MySqlServerIds {
    private static final int BASE = 5400;
    private static final int SPREAD = 1_000_000;

    private MySqlServerIds() {}

    static String of(String configured, String pipeline, int parallelism) {
        if (configured != null) {
            return configured;
        }
        int first = BASE + Math.floorMod(pipeline.hashCode(), SPREAD);
        return parallelism <= 1 ? Integer.toString(first) : first + "-" + (first + parallelism - 1);
    }
}
