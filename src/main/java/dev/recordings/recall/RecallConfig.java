package dev.recordings.recall;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Recall.ai settings (environment variables RECALL_AI_API_KEY, RECALL_AI_API_URL). */
@ConfigMapping(prefix = "recall.ai")
public interface RecallConfig {

    /** The workspace's API key; never logged. */
    Optional<String> apiKey();

    /** The region's base URL. */
    @WithDefault("https://us-west-2.recall.ai")
    String apiUrl();
}
