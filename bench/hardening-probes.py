"""Black-box probes of issue 24 against the packaged jar (pod flags, -Xmx256m), as a tenant with an ordinary key.

Start the service first, e.g.:
  RECORDINGS_EMBEDDED_DB_ENABLED=true RECORDINGS_EMBEDDED_DB_DIR=/tmp/probe/pg RECORDINGS_EMBEDDED_DB_PORT=15432 \
  RECORDINGS_ADMIN_TOKEN=probe-admin-token RECORDINGS_WEBHOOKS_ALLOW_HTTP=true RECORDINGS_WEBHOOKS_ALLOW_PRIVATE=true \
  RECORDINGS_UPLOADS_ENABLED=false QUARKUS_HTTP_PORT=18080 java -XX:+UseSerialGC -Xmx256m ... \
  -jar target/quarkus-app/quarkus-run.jar > /tmp/probe/service.log 2>&1 &
then: python3 bench/hardening-probes.py /tmp/probe/service.log 15432   (psql must be on the PATH)
"""
import json, socket, subprocess, sys, threading, time, urllib.request, urllib.error, concurrent.futures, os

BASE = "http://127.0.0.1:18080"
ADMIN = "probe-admin-token"

def call(method, path, body=None, key=None, headers=None, timeout=30):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(BASE + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if key:
        request.add_header("Authorization", "Bearer " + key)
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    started = time.time()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, answer.read(), time.time() - started, dict(answer.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), time.time() - started, dict(error.headers)

def tenant():
    _, project, _, _ = call("POST", "/api/admin/projects", {"name": "probe %f" % time.time()}, ADMIN)
    project = json.loads(project)["id"]
    _, user, _, _ = call("POST", "/api/admin/users", {"email": "p%f@example.com" % time.time()}, ADMIN)
    user = json.loads(user)["id"]
    call("PUT", "/api/admin/projects/%d/members/%d" % (project, user), None, ADMIN)
    _, key, _, _ = call("POST", "/api/admin/users/%d/personal_api_keys" % user,
                        {"label": "probe", "scopes": ["*"]}, ADMIN)
    return project, json.loads(key)["value"]

def endless_receiver():
    server = socket.socket(); server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0)); server.listen(50)
    def serve(connection):
        try:
            connection.recv(65536)
            connection.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
            chunk = b"4000\r\n" + b"x" * 0x4000 + b"\r\n"
            while True:
                connection.sendall(chunk)
        except OSError:
            pass
    def accept():
        while True:
            connection, _ = server.accept()
            threading.Thread(target=serve, args=(connection,), daemon=True).start()
    threading.Thread(target=accept, daemon=True).start()
    return "http://127.0.0.1:%d/hooks" % server.getsockname()[1]

def main(log_path, psql_port):
    results = {}
    project, key = tenant()
    api = "/api/projects/%d" % project
    # 1. a receiver that streams without end
    url = endless_receiver()
    status, body, _, _ = call("POST", api + "/webhook_endpoints/", {"url": url}, key)
    endpoint = json.loads(body)["id"]
    call("POST", api + "/webhook_endpoints/%s/test/" % endpoint, None, key)
    latencies = []
    for _ in range(30):
        status, _, took, _ = call("GET", api + "/desktop_recordings/", None, key)
        latencies.append((status, round(took * 1000)))
        time.sleep(0.5)
    _, deliveries, _, _ = call("GET", api + "/webhook_endpoints/%s/deliveries/" % endpoint, None, key)
    delivery = json.loads(deliveries)["results"][0]
    ooms = open(log_path).read().count("OutOfMemoryError")
    results["endless receiver"] = {"delivery": {k: delivery[k] for k in ("status", "attempts", "last_error")},
                                   "reads during it (status, ms), max": max(l[1] for l in latencies),
                                   "non-200 reads": [l for l in latencies if l[0] != 200],
                                   "OutOfMemoryErrors in the log": ooms}
    # 2. twenty parallel creates on an empty project
    project2, key2 = tenant()
    with concurrent.futures.ThreadPoolExecutor(20) as pool:
        statuses = list(pool.map(lambda _: call("POST", "/api/projects/%d/webhook_endpoints/" % project2,
                                                {"url": "http://127.0.0.1:9/"}, key2)[0], range(20)))
    _, page, _, _ = call("GET", "/api/projects/%d/webhook_endpoints/" % project2, None, key2)
    results["20 parallel creates"] = {"201": statuses.count(201), "400": statuses.count(400),
                                      "count": json.loads(page)["count"]}
    # 3. NUL
    nul = {}
    for path in (api + "/desktop_recordings/?search=a%00b", api + "/desktop_recordings/search/?q=a%00b"):
        status, body, _, _ = call("GET", path, None, key)
        nul[path.split("/")[-1]] = (status, json.loads(body).get("attr"))
    results["NUL"] = nul
    # 4. MCP get_recording on the largest recording the rules allow
    participants = ["%04d" % i + "p" * 251 for i in range(1000)]
    tasks = [{"title": "t" * 1000, "description": "d" * 10000, "assignee": "a" * 255} for _ in range(500)]
    status, body, _, _ = call("POST", api + "/desktop_recordings/", {"participants": participants}, key)
    recording = json.loads(body)["id"]
    call("PATCH", api + "/desktop_recordings/%s/" % recording, {"extracted_tasks": tasks, "summary": "s" * 300000}, key)
    too_many = call("POST", api + "/desktop_recordings/", {"participants": participants * 4}, key)
    mcp_headers = {"Accept": "application/json, text/event-stream"}
    status, body, _, answer_headers = call("POST", "/mcp", {"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "probe", "version": "1"}}},
        key, mcp_headers)
    session = answer_headers.get("Mcp-Session-Id")
    headers = dict(mcp_headers, **{"Mcp-Session-Id": session})
    call("POST", "/mcp", {"jsonrpc": "2.0", "method": "notifications/initialized"}, key, headers)
    timings = []
    for _ in range(5):
        status, body, took, _ = call("POST", "/mcp", {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params":
            {"name": "get_recording", "arguments": {"project_id": project, "recording_id": recording}}}, key, headers)
        text = body.decode()
        if text.startswith("event:") or "data:" in text[:50]:
            text = [line[5:] for line in text.splitlines() if line.startswith("data:")][0]
        result = json.loads(text)["result"]["content"][0]["text"]
        timings.append(round(took * 1000))
    results["MCP get_recording"] = {"text bytes": len(result.encode()), "ms (5 calls)": timings,
                                    "4,000 participants on input": too_many[0]}
    # 5. a read-only database
    def psql(sql):
        return subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(psql_port), "-U", "postgres", "-d", "postgres",
                               "-tAc", sql], capture_output=True, text=True).stdout.strip()
    psql("ALTER SYSTEM SET default_transaction_read_only = on"); psql("SELECT pg_reload_conf()")
    psql("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name LIKE 'desktop-recordings-%'")
    time.sleep(1)
    seen = {"append": [], "create": [], "ready": []}
    for _ in range(10):
        seen["append"].append(call("POST", api + "/desktop_recordings/%s/append_segments/" % recording,
                                   {"segments": [{"text": "during"}]}, key, {"Prefer": "return=minimal"})[0])
        seen["create"].append(call("POST", api + "/desktop_recordings/", {}, key)[0])
        seen["ready"].append(call("GET", "/q/health/ready")[0])
        time.sleep(0.3)
    psql("ALTER SYSTEM RESET default_transaction_read_only"); psql("SELECT pg_reload_conf()")
    deadline = time.time() + 20
    while call("GET", "/q/health/ready")[0] != 200 and time.time() < deadline:
        time.sleep(0.2)
    after = call("POST", api + "/desktop_recordings/%s/append_segments/" % recording,
                 {"segments": [{"text": "after"}]}, key, {"Prefer": "return=minimal"})[0]
    results["read-only database"] = {k: sorted(set(v)) for k, v in seen.items()}
    results["read-only database"]["append once writable"] = after
    print(json.dumps(results, indent=2))

if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
