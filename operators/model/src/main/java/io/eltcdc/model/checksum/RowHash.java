package io.eltcdc.model.checksum;

/**
 * One row as {@code verify} compares it to find example keys: its key as canonical text (the key
 * columns' {@link RowChecksumSql#columnText texts}, joined by {@link RowChecksumSql#SEPARATOR}) and
 * the row's hash, the same on both sides for equal rows.
 */
public record RowHash(String key, long hash) {}
