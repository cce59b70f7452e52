// Jena's SPARQL evaluation behind the smallest launcher: a TDB2 dataset in a folder, served over HTTP on
// 127.0.0.1 by the JDK's com.sun.net.httpserver, for the live-server tests and bench/servers.py. Fuseki, Jena's
// own server, cannot be had from Debian (libapache-jena-java 4.5 has ARQ, TDB2 and RIOT but no Fuseki), so
// this stands in for it with Fuseki's URL layout for one dataset, /ds:
//
//   /ds/sparql, /ds/query  SPARQL 1.1 Protocol queries: GET ?query=, POST of a form (query=) or of
//                          application/sparql-query; default-graph-uri and named-graph-uri make the dataset
//                          of the query, as Fuseki does (DynamicDatasets). SELECT and ASK answer SPARQL
//                          JSON, XML, CSV or TSV by the Accept header (JSON first), CONSTRUCT and DESCRIBE
//                          N-Triples or Turtle (Turtle first).
//   /ds/data               SPARQL 1.1 Graph Store Protocol: GET, HEAD, PUT, POST and DELETE of ?graph=IRI or
//                          ?default with an N-Triples or Turtle body; without either, the whole dataset
//                          (GET as N-Quads or TriG, PUT and POST of an N-Quads or TriG body).
//
// Everything RDF is Jena's: queries are parsed as strict SPARQL 1.1 (Fuseki would take Jena's ARQ
// extensions too) and evaluated by ARQ over TDB2; bodies are read and results and graphs written by RIOT;
// content negotiation is Jena's AcceptList. Each request runs in one TDB2 transaction: a read for queries and
// GET, a write for PUT, POST and DELETE, so an upload that breaks off or does not parse is aborted and leaves
// the graph as it was (a PUT replaces the graph within its transaction). The default graph is TDB2's own
// default graph, not the union of the named graphs: as with `oxigraph serve` (without
// --union-default-graph), a query sees the named graphs as its default graph only when it names them with
// default-graph-uri, which `erasmus-kg query --endpoint` does from the manifest `load --endpoint` writes.
// With --union-default-graph (TDB2's unionDefaultGraph, as Fuseki's `tdb2:unionDefaultGraph true` sets it) a
// query without default-graph-uri reads the union of the named graphs, for `erasmus-kg query
// --union-default-graph`.
// No SPARQL Update, no authentication, no limits: a test server on the loopback interface.
//
// Run as `java -cp CLASSPATH SparqlServer.java DATABASE_FOLDER [PORT] [--union-default-graph]` (tests/jena_launcher.py builds the
// class path from Debian's libapache-jena-java, with the fix for its xerces messages); PORT 0 or none takes a
// free port. Prints one line, `listening on http://127.0.0.1:PORT/ds`, once it accepts requests. Written for
// Jena 4.5 (Debian bookworm) and Java 17.

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import org.apache.jena.atlas.web.AcceptList;
import org.apache.jena.atlas.web.MediaType;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.query.DatasetFactory;
import org.apache.jena.query.Query;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.query.QueryExecutionFactory;
import org.apache.jena.query.QueryFactory;
import org.apache.jena.query.QueryParseException;
import org.apache.jena.query.Syntax;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.riot.RDFLanguages;
import org.apache.jena.riot.RDFParser;
import org.apache.jena.riot.ResultSetMgr;
import org.apache.jena.riot.RiotException;
import org.apache.jena.riot.resultset.ResultSetLang;
import org.apache.jena.riot.system.StreamRDFLib;
import org.apache.jena.sparql.core.DatasetDescription;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.sparql.core.DynamicDatasets;
import org.apache.jena.sparql.core.Quad;
import org.apache.jena.system.Txn;
import org.apache.jena.tdb2.DatabaseMgr;
import org.apache.jena.tdb2.TDB2;

public class SparqlServer {
    static final List<Lang> RESULTS =
            List.of(ResultSetLang.RS_JSON, ResultSetLang.RS_XML, ResultSetLang.RS_CSV, ResultSetLang.RS_TSV);
    static final List<Lang> GRAPHS = List.of(Lang.TURTLE, Lang.NTRIPLES);
    static final List<Lang> DATASETS = List.of(Lang.NQUADS, Lang.TRIG);

    /** An answer other than success: its status and a one-line message. */
    static final class Failure extends RuntimeException {
        final int status;

        Failure(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** What a request answers: status, media type and body (null: no body). */
    record Answer(int status, String type, byte[] body) {}

    final DatasetGraph dataset;

    SparqlServer(DatasetGraph dataset) {
        this.dataset = dataset;
    }

    public static void main(String[] args) throws IOException {
        List<String> given = new ArrayList<>(List.of(args));
        boolean union = given.remove("--union-default-graph");
        if (given.size() < 1 || given.size() > 2) {
            System.err.println("usage: SparqlServer DATABASE_FOLDER [PORT] [--union-default-graph]");
            System.exit(2);
        }
        DatasetGraph dataset = DatabaseMgr.connectDatasetGraph(given.get(0));
        if (union) {
            dataset.getContext().set(TDB2.symUnionDefaultGraph, true);
        }
        SparqlServer server = new SparqlServer(dataset);
        int port = given.size() == 2 ? Integer.parseInt(given.get(1)) : 0;
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        http.createContext("/ds/sparql", exchange -> server.answer(exchange, server::query));
        http.createContext("/ds/query", exchange -> server.answer(exchange, server::query));
        http.createContext("/ds/data", exchange -> server.answer(exchange, server::graphStore));
        http.setExecutor(Executors.newFixedThreadPool(8));
        http.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> http.stop(0)));
        System.out.println("listening on http://127.0.0.1:" + http.getAddress().getPort() + "/ds");
        System.out.flush();
    }

    interface Handler {
        Answer handle(HttpExchange exchange, Map<String, List<String>> params) throws IOException;
    }

    void answer(HttpExchange exchange, Handler handler) throws IOException {
        Answer answer;
        try {
            if (!exchange.getRequestURI().getPath().equals(exchange.getHttpContext().getPath())) {
                throw new Failure(404, "no such service: " + exchange.getRequestURI().getPath());
            }
            answer = handler.handle(exchange, params(exchange.getRequestURI().getRawQuery()));
        } catch (Failure failure) {
            answer = text(failure.status, failure.getMessage());
        } catch (QueryParseException | RiotException exc) {
            answer = text(400, exc.getMessage());
        } catch (RuntimeException | Error exc) {
            exc.printStackTrace();
            answer = text(500, exc.toString());
        }
        try (exchange) {
            try {
                exchange.getRequestBody().transferTo(OutputStream.nullOutputStream()); // what was not read
            } catch (IOException closed) {
                // RIOT closes the body it has read
            }
            if (answer.type != null) {
                exchange.getResponseHeaders().set("Content-Type", answer.type);
            }
            boolean head = exchange.getRequestMethod().equals("HEAD");
            byte[] body = answer.body;
            long length = body == null || body.length == 0 ? -1 : body.length;
            exchange.sendResponseHeaders(answer.status, head ? -1 : length);
            if (!head && length > 0) {
                exchange.getResponseBody().write(body);
            }
        }
    }

    static Answer text(int status, String message) {
        String line = (message == null ? "" : message).replaceAll("\\s+", " ").strip();
        return new Answer(status, "text/plain; charset=utf-8", (line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    // SPARQL 1.1 Protocol: queries

    Answer query(HttpExchange exchange, Map<String, List<String>> params) throws IOException {
        String method = exchange.getRequestMethod();
        String text;
        if (method.equals("GET") || method.equals("HEAD")) {
            text = one(params, "query");
        } else if (method.equals("POST")) {
            String type = mediaType(exchange);
            if (type.equals("application/x-www-form-urlencoded")) {
                String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                params.putAll(params(form));
                text = one(params, "query");
            } else if (type.equals("application/sparql-query")) {
                text = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            } else {
                throw new Failure(415, "a query is a form (query=) or application/sparql-query, not " + type);
            }
        } else {
            throw new Failure(405, method + " is not a query (GET or POST)");
        }
        Query query = QueryFactory.create(text, Syntax.syntaxSPARQL_11);
        List<String> defaults = params.getOrDefault("default-graph-uri", List.of());
        List<String> named = params.getOrDefault("named-graph-uri", List.of());
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        Lang lang = negotiate(accept, query.isSelectType() || query.isAskType() ? RESULTS : GRAPHS);
        return Txn.calculateRead(dataset, () -> {
            DatasetGraph target = dataset;
            if (!defaults.isEmpty() || !named.isEmpty()) {
                target = DynamicDatasets.dynamicDataset(DatasetDescription.create(defaults, named), dataset, false);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (QueryExecution execution = QueryExecutionFactory.create(query, DatasetFactory.wrap(target))) {
                if (query.isSelectType()) {
                    ResultSetMgr.write(out, execution.execSelect(), lang);
                } else if (query.isAskType()) {
                    ResultSetMgr.write(out, execution.execAsk(), lang);
                } else if (query.isConstructType()) {
                    RDFDataMgr.write(out, execution.execConstruct().getGraph(), lang);
                } else if (query.isDescribeType()) {
                    RDFDataMgr.write(out, execution.execDescribe().getGraph(), lang);
                } else {
                    throw new Failure(400, "unsupported query form");
                }
            }
            return new Answer(200, contentType(lang), out.toByteArray());
        });
    }

    // SPARQL 1.1 Graph Store Protocol

    Answer graphStore(HttpExchange exchange, Map<String, List<String>> params) throws IOException {
        String method = exchange.getRequestMethod();
        Node graph = null; // null: the whole dataset
        if (params.containsKey("graph")) {
            graph = NodeFactory.createURI(one(params, "graph"));
        } else if (params.containsKey("default")) {
            graph = Quad.defaultGraphIRI;
        }
        final Node target = graph;
        switch (method) {
            case "GET", "HEAD" -> {
                String accept = exchange.getRequestHeaders().getFirst("Accept");
                Lang lang = negotiate(accept, target == null ? DATASETS : GRAPHS);
                return Txn.calculateRead(dataset, () -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    if (target == null) {
                        RDFDataMgr.write(out, dataset, lang);
                    } else {
                        if (!exists(target)) {
                            throw new Failure(404, "no graph " + target.getURI());
                        }
                        RDFDataMgr.write(out, graphOf(target), lang);
                    }
                    return new Answer(200, contentType(lang), out.toByteArray());
                });
            }
            case "PUT", "POST" -> {
                Lang lang = RDFLanguages.contentTypeToLang(mediaType(exchange));
                List<Lang> accepted = target == null ? DATASETS : GRAPHS;
                if (lang == null || !accepted.contains(lang)) {
                    throw new Failure(415, "the body of this request is one of " + names(accepted));
                }
                InputStream body = exchange.getRequestBody();
                boolean replace = method.equals("PUT");
                boolean created = Txn.calculateWrite(dataset, () -> {
                    boolean existed = target == null || exists(target);
                    if (replace) {
                        if (target == null) {
                            dataset.clear();
                        } else {
                            graphOf(target).clear();
                        }
                    }
                    RDFParser parser = RDFParser.source(body).lang(lang).build();
                    if (target == null) {
                        parser.parse(StreamRDFLib.dataset(dataset));
                    } else {
                        parser.parse(StreamRDFLib.graph(graphOf(target)));
                    }
                    return !existed;
                });
                return new Answer(created ? 201 : 204, null, null);
            }
            case "DELETE" -> {
                if (target == null) {
                    throw new Failure(400, "DELETE of a graph needs ?graph=IRI or ?default");
                }
                Txn.executeWrite(dataset, () -> {
                    if (!exists(target)) {
                        throw new Failure(404, "no graph " + target.getURI());
                    }
                    graphOf(target).clear();
                });
                return new Answer(204, null, null);
            }
            default -> throw new Failure(405, method + " is not a Graph Store Protocol request");
        }
    }

    boolean exists(Node graph) {
        return Quad.isDefaultGraph(graph) || dataset.containsGraph(graph);
    }

    Graph graphOf(Node graph) {
        return Quad.isDefaultGraph(graph) ? dataset.getDefaultGraph() : dataset.getGraph(graph);
    }

    // HTTP helpers: parameters, media types, content negotiation (Jena's AcceptList)

    static Map<String, List<String>> params(String raw) {
        Map<String, List<String>> params = new TreeMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            params.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
        }
        return params;
    }

    static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    static String one(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        if (values == null || values.size() != 1) {
            throw new Failure(400, "give one " + name + " parameter");
        }
        return values.get(0);
    }

    static String mediaType(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Content-Type");
        if (header == null) {
            throw new Failure(415, "no Content-Type");
        }
        return MediaType.create(header).getContentTypeStr();
    }

    static Lang negotiate(String accept, List<Lang> offered) {
        AcceptList wanted = new AcceptList(accept == null || accept.isBlank() ? "*/*" : accept);
        AcceptList offers = AcceptList.create(
                offered.stream().map(lang -> lang.getContentType().getContentTypeStr()).toArray(String[]::new));
        MediaType chosen = AcceptList.match(wanted, offers);
        if (chosen == null) {
            throw new Failure(406, "this answers " + names(offered) + ", not " + accept);
        }
        return offered.stream()
                .filter(lang -> lang.getContentType().getContentTypeStr().equals(chosen.getContentTypeStr()))
                .findFirst()
                .orElseThrow();
    }

    static String contentType(Lang lang) {
        return lang.getContentType().getContentTypeStr() + "; charset=utf-8";
    }

    static String names(List<Lang> langs) {
        return String.join(", ", langs.stream().map(lang -> lang.getContentType().getContentTypeStr()).toList());
    }
}
