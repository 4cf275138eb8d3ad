package io.eltcdc.model.checksum;

/**
 * The rows whose key lies in {@code (lower, upper]}, bounds as the source's planner cut them (one
 * value per key column, of the columns' Java classes); a null bound is unbounded. A table without a
 * key is one range, {@link #ALL}.
 */
public record KeyRange(Object[] lower, Object[] upper) {
    public static final KeyRange ALL = new KeyRange(null, null);
}
