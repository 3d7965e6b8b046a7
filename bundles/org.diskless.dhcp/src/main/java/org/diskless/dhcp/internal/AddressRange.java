package org.diskless.dhcp.internal;

/** The addresses {@code first} to {@code last}, both included, as unsigned 32-bit numbers. */
record AddressRange(int first, int last) {

    AddressRange {
        if (Integer.compareUnsigned(first, last) > 0) {
            throw new IllegalArgumentException("range " + Addresses.format(first) + "-" + Addresses.format(last)
                    + " ends before it starts");
        }
    }

    /** Parses {@code a.b.c.d-a.b.c.e}, or one address alone. */
    static AddressRange parse(String text) {
        int dash = text.indexOf('-');
        if (dash < 0) {
            int only = Addresses.toInt(Addresses.parse(text));
            return new AddressRange(only, only);
        }
        return new AddressRange(Addresses.toInt(Addresses.parse(text.substring(0, dash))),
                Addresses.toInt(Addresses.parse(text.substring(dash + 1))));
    }

    long size() {
        return Integer.toUnsignedLong(last) - Integer.toUnsignedLong(first) + 1;
    }

    boolean contains(int address) {
        return Integer.compareUnsigned(address, first) >= 0 && Integer.compareUnsigned(address, last) <= 0;
    }

    boolean overlaps(AddressRange other) {
        return Integer.compareUnsigned(first, other.last) <= 0 && Integer.compareUnsigned(other.first, last) <= 0;
    }

    @Override
    public String toString() {
        return first == last ? Addresses.format(first) : Addresses.format(first) + "-" + Addresses.format(last);
    }
}
