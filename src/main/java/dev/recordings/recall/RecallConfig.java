package dev.recordings.recall;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Recall.ai settings (environment variables RECALL_AI_…, listed in the README). */
@ConfigMapping(prefix = "recall.ai")
public interface RecallConfig {

    /** The workspace's API key; never logged. */
    Optional<String> apiKey();

    /** The region's base URL. */
    @WithDefault("https://us-west-2.recall.ai")
    String apiUrl();

    /** The path segment of the SDK upload endpoint under /api/v1/; older deployments use sdk-upload. */
    @WithDefault("sdk_upload")
    String uploadPath();

    /** The Svix signing secret of the webhook endpoint ({@code whsec_…}); unset: webhooks answer 404. */
    Optional<String> webhookSecret();

    @WithDefault("3000")
    int connectTimeoutMs();

    @WithDefault("7000")
    int readTimeoutMs();
}
