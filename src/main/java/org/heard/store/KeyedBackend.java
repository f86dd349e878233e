package org.heard.store;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import de.bwaldvogel.mongo.wire.message.MongoQuery;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;

/**
 * The embedded store's listener is a loopback TCP port, which any local process could open. This
 * backend serves a connection only after its handshake names this process's key: every MongoDB
 * driver sends its application name ({@code appName} in the connection string) in the {@code hello}
 * that opens each connection, and Heard's connection string carries a random key made at start-up
 * and held only in memory. Any other connection is refused (MongoDB's Unauthorized, 13) and closed
 * before it can read or change anything. A client that adds {@code .name} to the key (a test or
 * benchmark's own client) is admitted as a tool: its queries are not Heard's ({@link ScanWatch}).
 */
final class KeyedBackend extends ForwardingBackend {
  private static final AttributeKey<Boolean> ADMITTED = AttributeKey.valueOf("heard-admitted");
  private static final Set<String> HANDSHAKES = Set.of("hello", "ismaster");
  private static final int UNAUTHORIZED = 13;

  private final MongoBackend delegate;
  private final byte[] key;
  private final String appName;

  KeyedBackend(MongoBackend delegate) {
    this.delegate = delegate;
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    this.appName = "heard-" + HexFormat.of().formatHex(random);
    this.key = appName.getBytes(StandardCharsets.UTF_8);
  }

  /** The application name a client must give: put it in the connection string, never in a log. */
  String appName() {
    return appName;
  }

  private void admit(Channel channel, String command, Document body) {
    if (HANDSHAKES.contains(command.toLowerCase(Locale.ROOT))) {
      if (channel.attr(ADMITTED).get() == null) {
        Object client = body.get("client");
        Object application = client instanceof Document c ? c.get("application") : null;
        Object name = application instanceof Document a ? a.get("name") : null;
        if (name instanceof String given && holdsKey(given)) {
          channel.attr(ADMITTED).set(Boolean.TRUE);
          if (given.length() > appName.length()) {
            channel.attr(ScanWatch.TOOL).set(given.substring(appName.length() + 1));
          }
          return;
        }
        refuse(channel);
      }
      return;
    }
    if (channel.attr(ADMITTED).get() == null) {
      refuse(channel);
    }
  }

  /** The key itself (Heard), or the key, a dot and a tool's name; compared in constant time. */
  private boolean holdsKey(String given) {
    byte[] bytes = given.getBytes(StandardCharsets.UTF_8);
    boolean exact = bytes.length == key.length;
    boolean tool = bytes.length > key.length + 1 && bytes[key.length] == '.';
    return (exact || tool) && MessageDigest.isEqual(key, Arrays.copyOf(bytes, key.length));
  }

  private static void refuse(Channel channel) {
    channel.eventLoop().execute(channel::close);
    throw new MongoServerError(UNAUTHORIZED, "Unauthorized",
        "this store serves only the Heard process that opened it");
  }

  private static String command(Document body) {
    return body.isEmpty() ? "" : body.keySet().iterator().next();
  }

  @Override
  public Document handleCommand(Channel channel, String database, String command, Document query) {
    admit(channel, command, query);
    return delegate.handleCommand(channel, database, command, query);
  }

  @Override
  public Document handleMessage(MongoMessage message) {
    admit(message.getChannel(), command(message.getDocument()), message.getDocument());
    return delegate.handleMessage(message);
  }

  @Override
  public QueryResult handleQuery(MongoQuery query) {
    admit(query.getChannel(), "", new Document());
    return delegate.handleQuery(query);
  }

  @Override
  public Collection<Document> getCurrentOperations(MongoQuery query) {
    admit(query.getChannel(), "", new Document());
    return delegate.getCurrentOperations(query);
  }

  @Override
  public Document getServerStatus() {
    // Asked through OP_QUERY without a channel to check; it holds counters, never data, so it stays empty here.
    return new Document();
  }

  @Override
  protected MongoBackend delegate() {
    return delegate;
  }
}
