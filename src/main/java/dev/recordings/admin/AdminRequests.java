package dev.recordings.admin;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The provisioning request bodies as OpenAPI shows them, and their limits, which AdminService enforces. Bodies are
 * read as JSON trees and checked field by field, so these types describe the API and are never bound.
 */
final class AdminRequests {

    static final int NAME_MAX = 200;
    static final int EMAIL_MAX = 254;
    static final int LABEL_MAX = 40;
    static final int RETENTION_DAYS_MIN = 1;
    static final int RETENTION_DAYS_MAX = 36_500;

    private AdminRequests() {
    }

    @Schema(name = "AdminProjectCreate")
    record ProjectCreate(@Schema(required = true, maxLength = NAME_MAX, description = "Not blank.") String name) {
    }

    @Schema(name = "AdminUserCreate")
    record UserCreate(@Schema(required = true, maxLength = EMAIL_MAX, format = "email",
            description = "Unique.") String email) {
    }

    @Schema(name = "AdminPersonalApiKeyCreate")
    record KeyCreate(
            @Schema(required = true, maxLength = LABEL_MAX, description = "Not blank.") String label,
            @Schema(required = true, minItems = 1) List<String> scopes,
            @Schema(nullable = true, description = "Project ids the key is restricted to; null for every project "
                    + "of its user.") List<Long> scopedTeams) {
    }

    @Schema(name = "AdminProjectUpdate")
    record ProjectUpdate(@Schema(nullable = true, minimum = "1", maximum = "36500",
            description = "Days a recording is kept after its start; null: forever.") Integer retentionDays) {
    }
}
