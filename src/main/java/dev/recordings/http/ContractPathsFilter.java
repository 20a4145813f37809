package dev.recordings.http;

import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.Paths;

/**
 * Shows the recording endpoints under the contract's two literal prefixes, with their trailing slash, instead of
 * the one regex-templated JAX-RS path that serves both.
 */
public class ContractPathsFilter implements OASFilter {

    private static final String TEMPLATE = "/api/{prefix}/";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Paths paths = openAPI.getPaths();
        if (paths == null || paths.getPathItems() == null) {
            return;
        }
        Map<String, PathItem> rewritten = new LinkedHashMap<>();
        paths.getPathItems().forEach((path, item) -> {
            if (path.startsWith(TEMPLATE)) {
                String rest = path.substring(TEMPLATE.length()) + "/";
                rewritten.put("/api/environments/" + rest, item);
                rewritten.put("/api/projects/" + rest, item);
            } else {
                rewritten.put(path, item);
            }
        });
        paths.setPathItems(rewritten);
    }
}
