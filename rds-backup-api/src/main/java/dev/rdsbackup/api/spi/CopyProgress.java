package dev.rdsbackup.api.spi;

/**
 * How far a copy has come, as reported by the engine.
 *
 * @param bytesCopied bytes copied so far
 * @param totalBytes bytes expected in all (0 if the engine does not know)
 */
public record CopyProgress(long bytesCopied, long totalBytes) {
    /** Checks ranges. */
    public CopyProgress {
        if (bytesCopied < 0) {
            throw new IllegalArgumentException("bytesCopied must be 0 or more, was " + bytesCopied);
        }
        if (totalBytes < 0) {
            throw new IllegalArgumentException("totalBytes must be 0 or more, was " + totalBytes);
        }
    }

    /** 0 to 100; 0 when the total is unknown. */
    public int percent() {
        if (totalBytes == 0) {
            return 0;
        }
        if (bytesCopied >= totalBytes) {
            return 100;
        }
        if (bytesCopied <= Long.MAX_VALUE / 100) {
            return (int) (bytesCopied * 100 / totalBytes);
        }
        // bytesCopied * 100 would overflow a long: compute exactly (only for copies beyond ~92 PB).
        return java.math.BigInteger.valueOf(bytesCopied).multiply(java.math.BigInteger.valueOf(100))
                .divide(java.math.BigInteger.valueOf(totalBytes)).intValue();
    }
}
