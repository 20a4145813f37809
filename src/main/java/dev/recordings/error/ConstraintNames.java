package dev.recordings.error;

/** Which declared constraint a violation names, on PostgreSQL and on Citus. */
public final class ConstraintNames {

    private ConstraintNames() {
    }

    /**
     * Whether {@code reported} is the constraint declared as {@code declared}: Citus reports the copy on the shard
     * that refused the row, whose name is the declared one followed by the shard's number.
     */
    public static boolean is(String reported, String declared) {
        return reported != null && (reported.equals(declared)
                || reported.startsWith(declared + "_") && reported.substring(declared.length() + 1).matches("\\d+"));
    }
}
