package dev.recordings.db;

import io.quarkus.runtime.ImageMode;

/** Which phase reads the configuration: Quarkus also reads config sources while it builds the application. */
public final class ConfigPhase {

    private static final String BUILD_TIME_CONFIG_READER =
            "io.quarkus.deployment.configuration.BuildTimeConfigurationReader";

    private ConfigPhase() {
    }

    /**
     * Whether the application is being built: neither the launch mode nor the image mode tells the build apart from
     * the run, the build's own config reader does. A config source that decides from the environment must give
     * nothing then (a database must not start; a value would be recorded into the build as a default).
     */
    public static boolean duringBuild() {
        return ImageMode.current() == ImageMode.NATIVE_BUILD || StackWalker.getInstance().walk(frames -> frames
                .anyMatch(frame -> frame.getClassName().equals(BUILD_TIME_CONFIG_READER)));
    }
}
