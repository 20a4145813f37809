package dev.recordings.auth;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A user's personal API key. Only its SHA-256 is kept; the value itself is shown once, when it is created. */
@Entity
@Table(name = "personal_api_keys")
public class PersonalApiKey {

    @Id
    public UUID id;

    @Column(name = "user_id", nullable = false)
    public Long userId;

    @Column(nullable = false, length = 40)
    public String label;

    @Column(name = "secure_value", nullable = false, unique = true, length = 64, columnDefinition = "bpchar(64)")
    public String secureValue;

    @Column(name = "mask_value", nullable = false, length = 16)
    public String maskValue;

    @Column(nullable = false)
    public String[] scopes;

    /** Null: the key works in every project its user is a member of. */
    @Column(name = "scoped_teams")
    public Long[] scopedTeams;

    @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
    public OffsetDateTime createdAt;
}
