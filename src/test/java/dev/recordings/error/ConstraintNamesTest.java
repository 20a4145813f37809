package dev.recordings.error;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConstraintNamesTest {

    @Test
    void theDeclaredNameAndItsCitusShardsCopiesAreThatConstraint() {
        assertTrue(ConstraintNames.is("users_email_key", "users_email_key"));
        assertTrue(ConstraintNames.is("users_email_key_102010", "users_email_key"));
    }

    @Test
    void anotherConstraintIsNot() {
        assertFalse(ConstraintNames.is("users_email_key_other", "users_email_key"));
        assertFalse(ConstraintNames.is("users_email", "users_email_key"));
        assertFalse(ConstraintNames.is("users_email_key_", "users_email_key"));
        assertFalse(ConstraintNames.is(null, "users_email_key"));
    }
}
