package org.diskless.nodes.internal;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.diskless.api.HardwareAddress;
import org.diskless.api.nodes.BootRole;
import org.diskless.api.nodes.Node;

/**
 * ISC dhcpd.conf {@code host} declarations, wherever they are nested ({@code group},
 * {@code subnet}, {@code shared-network}, {@code pool}). Per host: {@code hardware ethernet},
 * the first {@code fixed-address} (an IPv4 literal) and {@code filename}, which a host inherits
 * from the scopes around it as dhcpd does; the file becomes the {@code loader} boot file.
 * {@code #} comments and quoted strings are understood; other statements are passed over.
 */
final class DhcpdImporter implements NodeImporter {

    private record Token(String text, int line, boolean quoted) {
        boolean is(String punctuation) {
            return !quoted && text.equals(punctuation);
        }
    }

    /** A host as read, before the filename of its enclosing scopes is known. */
    private static final class Host {
        final String name;
        final int line;
        final List<Token[]> statements = new ArrayList<>();
        Optional<String> filename = Optional.empty();

        Host(String name, int line) {
            this.name = name;
            this.line = line;
        }
    }

    private List<Token> tokens;
    private int position;
    private final List<SkippedLine> skipped = new ArrayList<>();

    @Override
    public ImportResult read(List<String> lines) {
        tokens = tokenize(lines);
        position = 0;
        skipped.clear();
        List<Host> hosts = block();
        List<ImportResult.Found> nodes = new ArrayList<>();
        for (Host host : hosts) {
            toNode(host).ifPresent(node -> ImportSupport.add(node, host.line, nodes, skipped));
        }
        skipped.sort((a, b) -> Integer.compare(a.line(), b.line()));
        return new ImportResult(nodes, skipped);
    }

    /** Reads statements up to the closing brace of the scope (or the end), returning its hosts. */
    private List<Host> block() {
        List<Host> hosts = new ArrayList<>();
        Optional<String> filename = Optional.empty();
        while (position < tokens.size()) {
            if (tokens.get(position).is("}")) {
                position++;
                break;
            }
            List<Token> statement = statementTokens();
            if (position >= tokens.size() || tokens.get(position).is("}")) {
                if (!statement.isEmpty()) {
                    skipped.add(new SkippedLine(statement.get(0).line(), "statement not ended by ';'"));
                }
                continue;
            }
            boolean opensBlock = tokens.get(position++).is("{");
            if (opensBlock) {
                if (!statement.isEmpty() && statement.get(0).is("host") && statement.size() >= 2) {
                    hosts.add(host(statement.get(1)));
                } else {
                    hosts.addAll(block());
                }
            } else if (statement.size() >= 2 && statement.get(0).is("filename")) {
                filename = Optional.of(statement.get(1).text());
            }
        }
        for (Host host : hosts) {
            if (host.filename.isEmpty()) {
                host.filename = filename;
            }
        }
        return hosts;
    }

    /** The tokens of one statement, up to (not including) the ';', '{' or '}' that ends it. */
    private List<Token> statementTokens() {
        List<Token> statement = new ArrayList<>();
        while (position < tokens.size() && !tokens.get(position).is(";") && !tokens.get(position).is("{")
                && !tokens.get(position).is("}")) {
            statement.add(tokens.get(position++));
        }
        return statement;
    }

    private Host host(Token name) {
        Host host = new Host(name.text(), name.line());
        while (position < tokens.size()) {
            if (tokens.get(position).is("}")) {
                position++;
                break;
            }
            List<Token> statement = statementTokens();
            if (position < tokens.size() && tokens.get(position).is("{")) {
                position++;
                block(); // nothing nests in a host that names a node; keep the braces balanced
                continue;
            }
            if (position < tokens.size() && tokens.get(position).is(";")) {
                position++;
            }
            if (!statement.isEmpty()) {
                host.statements.add(statement.toArray(Token[]::new));
                if (statement.size() >= 2 && statement.get(0).is("filename")) {
                    host.filename = Optional.of(statement.get(1).text());
                }
            }
        }
        return host;
    }

    private Optional<Node> toNode(Host host) {
        Optional<HardwareAddress> mac = Optional.empty();
        Optional<InetAddress> address = Optional.empty();
        for (Token[] statement : host.statements) {
            String keyword = statement[0].text();
            if (keyword.equals("hardware")) {
                if (statement.length < 3 || !statement[1].text().equals("ethernet")) {
                    return skip(host, "hardware type '" + (statement.length > 1 ? statement[1].text() : "")
                            + "' is not ethernet");
                }
                mac = ImportSupport.mac(statement[2].text());
                if (mac.isEmpty()) {
                    return skip(host, "'" + statement[2].text() + "' is not an Ethernet MAC");
                }
            } else if (keyword.equals("fixed-address") && statement.length >= 2) {
                String first = statement[1].text();
                address = NodeRecordParser.ipv4(first);
                if (address.isEmpty()) {
                    return skip(host, "fixed-address '" + first + "' is a DNS name; the inventory needs an IPv4"
                            + " address (write it in dhcpd.conf or add the node with nodes:add --address)");
                }
            }
        }
        if (mac.isEmpty()) {
            return skip(host, "no 'hardware ethernet' (hosts matched by client identifier are not imported)");
        }
        if (!NodeRecordParser.isHostName(host.name)) {
            return skip(host, "'" + host.name + "' is not a host name");
        }
        Map<String, String> bootFiles = host.filename.map(f -> Map.of(BootRole.LOADER, f)).orElse(Map.of());
        return Optional.of(Node.builder(host.name, mac.get()).address(address.orElse(null)).bootFiles(bootFiles)
                .build());
    }

    private Optional<Node> skip(Host host, String reason) {
        skipped.add(new SkippedLine(host.line, "host " + host.name + ": " + reason));
        return Optional.empty();
    }

    private static List<Token> tokenize(List<String> lines) {
        List<Token> tokens = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int at = 0;
            while (at < line.length()) {
                char c = line.charAt(at);
                if (Character.isWhitespace(c)) {
                    at++;
                } else if (c == '#') {
                    break;
                } else if (c == '"') {
                    StringBuilder text = new StringBuilder();
                    at++;
                    while (at < line.length() && line.charAt(at) != '"') {
                        if (line.charAt(at) == '\\' && at + 1 < line.length()) {
                            at++;
                        }
                        text.append(line.charAt(at++));
                    }
                    at++;
                    tokens.add(new Token(text.toString(), i + 1, true));
                } else if ("{};,".indexOf(c) >= 0) {
                    if (c != ',') {
                        tokens.add(new Token(String.valueOf(c), i + 1, false));
                    }
                    at++;
                } else {
                    int start = at;
                    while (at < line.length() && !Character.isWhitespace(line.charAt(at))
                            && "{};,#\"".indexOf(line.charAt(at)) < 0) {
                        at++;
                    }
                    tokens.add(new Token(line.substring(start, at), i + 1, false));
                }
            }
        }
        return tokens;
    }
}
