package dev.recordings.error;

import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.ext.web.RoutingContext;

/** The REST layer's exception mappers: each failure to its contract answer, written by {@link ErrorAnswers}. */
public class ErrorMappers {

    @ServerExceptionMapper
    public Response apiException(ApiException exception) {
        return ErrorAnswers.response(exception);
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException exception) {
        return ErrorAnswers.response(ApiException.notFound("Not found."));
    }

    @ServerExceptionMapper
    public Response methodNotAllowed(NotAllowedException exception, Request request) {
        return ErrorAnswers.response(ApiException.methodNotAllowed(request.getMethod()));
    }

    @ServerExceptionMapper
    public Response unsupportedMediaType(NotSupportedException exception, jakarta.ws.rs.core.HttpHeaders headers) {
        return ErrorAnswers.response(ApiException.unsupportedMediaType(String.valueOf(headers.getMediaType())));
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException exception) {
        return ErrorAnswers.response(ApiException.notAuthenticated());
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException exception) {
        return ErrorAnswers.response(ApiException.authenticationFailed("Invalid personal API key."));
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException exception) {
        return ErrorAnswers.response(ApiException.missingScope());
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException exception, RoutingContext context) {
        int status = exception.getResponse().getStatus();
        if (status == 413) {
            return ErrorAnswers.response(ApiException.payloadTooLarge());
        }
        if (status >= 500) {
            return unexpected(exception, context);
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        String code = known == null ? "invalid" : known.getReasonPhrase().toLowerCase().replace(' ', '_');
        return ErrorAnswers.response(new ApiException(status, "invalid_request", code,
                known == null ? "Invalid request." : known.getReasonPhrase() + ".", null));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable throwable, RoutingContext context) {
        return ErrorAnswers.response(ErrorAnswers.forFailure(throwable, context));
    }
}
