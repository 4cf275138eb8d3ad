package io.eltcdc.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PositionTest {
    @Test
    void ordersByHighThenUnsignedLow() {
        List<Position> sorted = new ArrayList<>(List.of(
                new Position(1, -1),
                new Position(0, -1),
                new Position(1, 0),
                Position.SNAPSHOT,
                new Position(0, Long.MAX_VALUE)));
        sorted.sort(null);
        assertThat(sorted)
                .containsExactly(
                        Position.SNAPSHOT,
                        new Position(0, Long.MAX_VALUE),
                        new Position(0, -1),
                        new Position(1, 0),
                        new Position(1, -1));
    }

    @Test
    void decimalFormKeepsTheOrderAndRoundTrips() {
        Position a = new Position(5, -2);
        Position b = new Position(6, 1);
        assertThat(a.toBigInteger()).isLessThan(b.toBigInteger());
        assertThat(a.toBigInteger())
                .isEqualTo(BigInteger.valueOf(5)
                        .shiftLeft(64)
                        .add(BigInteger.ONE.shiftLeft(64))
                        .subtract(BigInteger.TWO));
        assertThat(Position.of(a.toBigInteger())).isEqualTo(a);
        Position max = new Position((1L << 62) - 1, -1);
        assertThat(max.toBigInteger().toString().length()).isLessThanOrEqualTo(38);
        assertThat(AvroValues.positionFromAvro(AvroValues.positionToAvro(max))).isEqualTo(max);
    }

    @Test
    void rejectsWhatDoesNotFitDecimal38() {
        assertThatThrownBy(() -> new Position(1L << 62, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Position(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
