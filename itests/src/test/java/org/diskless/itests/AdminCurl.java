package org.diskless.itests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * curl against the admin interface (JSON API and dashboard, feature diskless-web) from the server's
 * own namespace, where it listens on 127.0.0.1:8181 only.
 */
final class AdminCurl {

    static final String BASE = "http://127.0.0.1:8181/diskless";
    private static final Duration CURL_TIMEOUT = Duration.ofSeconds(30);

    /** What curl got: the status code, the body and the response headers. */
    record Answer(int status, String body, String headers) {

        /** The value of response header {@code name}, or null. */
        String header(String name) {
            return headers.lines().filter(l -> l.regionMatches(true, 0, name + ":", 0, name.length() + 1))
                    .map(l -> l.substring(name.length() + 1).trim()).findFirst().orElse(null);
        }
    }

    private final DisklessServer server;

    AdminCurl(DisklessServer server) {
        this.server = server;
    }

    /** One request; {@code user} null for no credentials, {@code json} null for no body. */
    Answer request(String user, String password, String method, String path, String json) {
        List<String> argv = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "-X", method, "-D", "-",
                "-w", "\n%{http_code}"));
        if (user != null) {
            argv.addAll(List.of("-u", user + ":" + password));
        }
        if (json != null) {
            argv.addAll(List.of("-H", "Content-Type: application/json", "--data-binary", json));
        }
        argv.add(BASE + path);
        Exec.Result r = server.inServerNs(CURL_TIMEOUT, argv.toArray(String[]::new));
        assertTrue(r.ok(), r::describe);
        String out = r.stdout();
        int lastLine = out.lastIndexOf('\n');
        int split = out.indexOf("\r\n\r\n");
        String headers = split < 0 ? "" : out.substring(0, split);
        String body = split < 0 ? out.substring(0, lastLine) : out.substring(split + 4, lastLine);
        return new Answer(Integer.parseInt(out.substring(lastLine + 1).trim()), body, headers);
    }
}
