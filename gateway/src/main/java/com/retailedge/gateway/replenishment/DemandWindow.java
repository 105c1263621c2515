package com.retailedge.gateway.replenishment;

/**
 * One SKU's demand per store day over the last {@link #DAYS} closed days and today, as a ring of counts: adding
 * a day's demand is one slot, however late it arrives; days older than the ring are no longer kept.
 * Not thread-safe: owned by the writer thread.
 */
final class DemandWindow {
    /** Closed days the forecast learns from. */
    static final int DAYS = 56;

    private static final int SLOTS = DAYS + 1;

    private final int[] units = new int[SLOTS];
    /** The newest day the ring holds (epoch day); slots of days after it are empty. */
    private long newest = Long.MIN_VALUE;

    /** Adds demand on {@code day}; false when the day is older than the ring keeps. */
    boolean add(long day, long qty) {
        if (newest == Long.MIN_VALUE) {
            newest = day;
        } else if (day > newest) {
            for (long d = newest + 1; d <= day && d <= newest + SLOTS; d++) {
                units[slot(d)] = 0;
            }
            newest = day;
        } else if (day <= newest - SLOTS) {
            return false;
        }
        int slot = slot(day);
        units[slot] = (int) Math.min(Integer.MAX_VALUE, units[slot] + qty);
        return true;
    }

    /** Demand on {@code day}, 0 for a day not kept. */
    long on(long day) {
        return newest != Long.MIN_VALUE && day <= newest && day > newest - SLOTS ? units[slot(day)] : 0;
    }

    private static int slot(long day) {
        return (int) Math.floorMod(day, (long) SLOTS);
    }
}
