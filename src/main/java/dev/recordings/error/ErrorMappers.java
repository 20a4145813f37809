package dev.recordings.error;

import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.ext.web.RoutingContext;
import dev.recordings.http.RequestLog;

/** The one place where failures become the contract's error answers. */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    public static Response toResponse(ApiException exception) {
        Response.ResponseBuilder builder = Response.status(exception.status())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(exception.error());
        exception.headers().forEach(builder::header);
        return builder.build();
    }

    @ServerExceptionMapper
    public Response apiException(ApiException exception) {
        return toResponse(exception);
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException exception) {
        return toResponse(ApiException.notFound("Not found."));
    }

    @ServerExceptionMapper
    public Response methodNotAllowed(NotAllowedException exception, Request request) {
        return toResponse(ApiException.methodNotAllowed(request.getMethod()));
    }

    @ServerExceptionMapper
    public Response unsupportedMediaType(NotSupportedException exception, jakarta.ws.rs.core.HttpHeaders headers) {
        return toResponse(ApiException.unsupportedMediaType(String.valueOf(headers.getMediaType())));
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException exception) {
        return toResponse(ApiException.notAuthenticated());
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException exception) {
        return toResponse(ApiException.authenticationFailed("Invalid personal API key."));
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException exception) {
        return toResponse(ApiException.permissionDenied(
                "API key missing required scope for this action."));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException exception, RoutingContext context) {
        int status = exception.getResponse().getStatus();
        if (status == 413) {
            return toResponse(ApiException.payloadTooLarge());
        }
        if (status >= 500) {
            return unexpected(exception, context);
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        String code = known == null ? "invalid" : known.getReasonPhrase().toLowerCase().replace(' ', '_');
        return toResponse(new ApiException(status, "invalid_request", code,
                known == null ? "Invalid request." : known.getReasonPhrase() + ".", null));
    }

    /** The database pool's wait queue is full: the pod is overloaded, and says so rather than queue further. */
    @ServerExceptionMapper
    public Response busy(ConnectionPoolTooBusyException exception) {
        return toResponse(ApiException.busy());
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable throwable, RoutingContext context) {
        if (DatabaseUnavailable.is(throwable)) {
            LOG.warnf("Database unavailable, answered 503: %s", throwable.toString());
            return toResponse(DatabaseUnavailable.answer());
        }
        String requestId = RequestLog.requestId(context);
        LOG.errorf(throwable, "Unexpected failure, request id %s", requestId);
        return Response.status(500).type(MediaType.APPLICATION_JSON_TYPE)
                .header("X-Request-Id", requestId)
                .entity(new ApiError("server_error", "error",
                        "A server error occurred. Request id: " + requestId + ".", null))
                .build();
    }
}
