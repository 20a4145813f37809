package dev.recordings.auth;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class ApiKeyRepository implements PanacheRepositoryBase<PersonalApiKey, UUID> {

    public Uni<PersonalApiKey> findBySecureValue(String secureValue) {
        return find("secureValue", secureValue).firstResult();
    }
}
