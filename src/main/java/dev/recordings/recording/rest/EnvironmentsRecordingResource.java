package dev.recordings.recording.rest;

import jakarta.ws.rs.Path;

import dev.recordings.recording.RecordingJson;
import dev.recordings.auth.ProjectAccess;
import dev.recordings.http.LoadShedding;
import dev.recordings.json.JsonBodyReader;
import dev.recordings.recording.RecordingService;
import io.quarkus.security.identity.SecurityIdentity;

/** The recordings endpoints under {@code /api/environments/}. */
@Path("/api/environments/{project_id}/desktop_recordings")
public class EnvironmentsRecordingResource extends DesktopRecordingResource {

    public EnvironmentsRecordingResource(RecordingService recordings, ProjectAccess access, JsonBodyReader bodies,
            SecurityIdentity identity, RecordingJson json, TranscriptFile files, LoadShedding loadShedding) {
        super(recordings, access, bodies, identity, json, files, loadShedding);
    }
}
