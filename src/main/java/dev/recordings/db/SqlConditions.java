package dev.recordings.db;

import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Conditions joined by AND, each value bound as the next numbered parameter of {@code values}: the one way the
 * service's optional filters (platform, status, user, recording, speaker) become SQL.
 */
public final class SqlConditions {

    private final StringBuilder sql;
    private final Tuple values;

    public SqlConditions(String first, Tuple values) {
        this.sql = new StringBuilder(first);
        this.values = values;
    }

    /** {@code expression = value}, or nothing when the value is null (no filter). */
    public SqlConditions equal(String expression, Object value) {
        if (value != null) {
            values.addValue(value);
            sql.append(" AND ").append(expression).append(" = $").append(values.size());
        }
        return this;
    }

    public SqlConditions and(String condition) {
        sql.append(" AND ").append(condition);
        return this;
    }

    @Override
    public String toString() {
        return sql.toString();
    }
}
