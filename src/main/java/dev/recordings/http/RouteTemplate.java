package dev.recordings.http;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ResourceInfo;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.vertx.ext.web.RoutingContext;

/**
 * Names the route a request matched, as its path template ({@code /api/projects/{project_id}/desktop_recordings/{id}}),
 * for the request log: from the matched resource class and method, through the standard {@link ResourceInfo}, and
 * handed to the log through the routing context.
 */
public class RouteTemplate {

    static final String CONTEXT_KEY = "dev.recordings.route-template";

    /** One template per resource class and method (a method may serve two classes): annotations are read once. */
    private static final Map<Class<?>, Map<Method, String>> TEMPLATES = new ConcurrentHashMap<>();

    @ServerResponseFilter
    public void nameTheRoute(ResourceInfo resource, RoutingContext context) {
        Class<?> resourceClass = resource.getResourceClass();
        Method method = resource.getResourceMethod();
        if (resourceClass == null || method == null) {
            return;
        }
        context.put(CONTEXT_KEY, TEMPLATES.computeIfAbsent(resourceClass, type -> new ConcurrentHashMap<>())
                .computeIfAbsent(method, key -> template(resourceClass, method)));
    }

    static String template(Class<?> resourceClass, Method method) {
        Path classPath = resourceClass.getAnnotation(Path.class);
        Path methodPath = method.getAnnotation(Path.class);
        String template = "/" + (classPath == null ? "" : classPath.value()) + "/"
                + (methodPath == null ? "" : methodPath.value());
        template = template.replaceAll("/{2,}", "/");
        return template.length() > 1 && template.endsWith("/") ? template.substring(0, template.length() - 1)
                : template;
    }
}
