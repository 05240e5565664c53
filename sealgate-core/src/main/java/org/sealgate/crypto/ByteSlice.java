package org.sealgate.crypto;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A range of a byte array, so that a part of a mail is read where it lies instead of being copied out first (a
 * 1 MB OpenPGP mail was copied a dozen times on its way through the facade). The array is shared, never changed.
 */
record ByteSlice(byte[] bytes, int from, int to) {

    ByteSlice {
        if (from < 0 || to < from || to > bytes.length) {
            throw new IndexOutOfBoundsException("slice [" + from + ", " + to + ") of " + bytes.length + " bytes");
        }
    }

    static ByteSlice of(byte[] bytes) {
        return new ByteSlice(bytes, 0, bytes.length);
    }

    int length() {
        return to - from;
    }

    InputStream stream() {
        return new ByteArrayInputStream(bytes, from, to - from);
    }

    /** The bytes as an array of their own: the array itself when the slice is all of it. */
    byte[] toArray() {
        return from == 0 && to == bytes.length ? bytes : Arrays.copyOfRange(bytes, from, to);
    }
}
