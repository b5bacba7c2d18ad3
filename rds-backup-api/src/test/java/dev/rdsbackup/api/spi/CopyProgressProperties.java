package dev.rdsbackup.api.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

@Label("CopyProgress.percent")
class CopyProgressProperties {

    static int expected(long copied, long total) {
        if (total == 0) {
            return 0;
        }
        BigInteger exact = BigInteger.valueOf(copied).multiply(BigInteger.valueOf(100)).divide(BigInteger.valueOf(total));
        return exact.min(BigInteger.valueOf(100)).intValueExact();
    }

    @Property
    void isTheFlooredShareOfTheTotalCappedAtOneHundred(
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long copied,
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long total) {
        assertThat(new CopyProgress(copied, total).percent()).isEqualTo(expected(copied, total)).isBetween(0, 100);
    }

    @Property
    void neverDecreasesAsBytesAreCopied(
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 2) long copied,
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 2) long more,
            @ForAll @LongRange(min = 1, max = Long.MAX_VALUE) long total) {
        assertThat(new CopyProgress(copied + more, total).percent())
                .isGreaterThanOrEqualTo(new CopyProgress(copied, total).percent());
    }

    @Example
    void staysCorrectForPetabyteSizedCopies() {
        long total = Long.MAX_VALUE;
        assertThat(new CopyProgress(total / 2, total).percent()).isEqualTo(49);
        assertThat(new CopyProgress(total - 1, total).percent()).isEqualTo(99);
        assertThat(new CopyProgress(total, total).percent()).isEqualTo(100);
    }
}
