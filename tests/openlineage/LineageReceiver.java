// The tests' OpenLineage endpoint (see receiver.sh): POST /api/v1/lineage on 127.0.0.1:PORT. Every body is parsed
// with the official client's OpenLineageClientUtils.runEventFromJson; an event it parses, with a run id, an event type
// and an event time, is answered 201 and appended to OUTFILE as the client re-serialises it (so a field the client did
// not understand is missing there); anything else is answered 400 and appended to OUTFILE.rejected with the reason.

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineageClientUtils;
import java.io.FileWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

public class LineageReceiver {
    private static String outFile;

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        outFile = args[1];
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        server.createContext("/api/v1/lineage", LineageReceiver::handle);
        server.start();
        System.out.println("listening on 127.0.0.1:" + port);
        System.out.flush();
    }

    private static synchronized void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (!"POST".equals(exchange.getRequestMethod())) {
            answer(exchange, 405, "POST only");
            return;
        }
        try {
            OpenLineage.RunEvent event = OpenLineageClientUtils.runEventFromJson(body);
            if (event.getRun() == null || event.getRun().getRunId() == null)
                throw new IllegalArgumentException("no run id");
            if (event.getEventType() == null || event.getEventTime() == null)
                throw new IllegalArgumentException("no event type or event time");
            if (event.getJob() == null || event.getJob().getNamespace() == null || event.getJob().getName() == null)
                throw new IllegalArgumentException("no job namespace or name");
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            String line = "{\"authorization\": " + (auth == null ? "null" : OpenLineageClientUtils.toJson(auth))
                    + ", \"event\": " + OpenLineageClientUtils.toJson(event) + "}\n";
            append(outFile, line);
            answer(exchange, 201, "");
        } catch (RuntimeException e) {
            append(outFile + ".rejected", e + "\n" + body + "\n");
            answer(exchange, 400, e.toString());
        }
    }

    private static void append(String file, String text) throws IOException {
        try (FileWriter w = new FileWriter(file, StandardCharsets.UTF_8, true)) {
            w.write(text);
        }
    }

    private static void answer(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(bytes);
        }
    }
}
