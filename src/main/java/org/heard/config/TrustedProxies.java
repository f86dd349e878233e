package org.heard.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The reverse proxies ({@code HEARD_TRUSTED_PROXIES}: addresses or CIDR blocks, comma-separated)
 * whose {@code X-Forwarded-*} and {@code Forwarded} headers say who the client is and whether it
 * came over HTTPS. From any other peer those headers are removed before a request is read, so a
 * client cannot name itself.
 */
public final class TrustedProxies {
  private record Block(byte[] network, int prefix) {
  }

  private final List<Block> blocks;
  private final String written;

  private TrustedProxies(List<Block> blocks, String written) {
    this.blocks = List.copyOf(blocks);
    this.written = written;
  }

  public static TrustedProxies none() {
    return new TrustedProxies(List.of(), "");
  }

  /** Parses the list; each entry it cannot read is a problem naming it. */
  static TrustedProxies parse(String raw, String variable, List<String> problems) {
    List<Block> blocks = new ArrayList<>();
    for (String entry : raw.split(",")) {
      String text = entry.strip();
      if (text.isEmpty()) {
        continue;
      }
      String address = text.contains("/") ? text.substring(0, text.indexOf('/')) : text;
      // Only literal addresses: a host name would be looked up, and could change under Heard.
      if (!address.matches("[0-9.]+|[0-9A-Fa-f:]+")) {
        problems.add(variable + ": '" + text + "' is not an IP address or CIDR block (such as 10.0.0.5 or 10.0.0.0/24)");
        continue;
      }
      try {
        byte[] network = InetAddress.getByName(address).getAddress();
        int prefix = text.contains("/") ? Integer.parseInt(text.substring(text.indexOf('/') + 1)) : network.length * 8;
        if (prefix < 0 || prefix > network.length * 8) {
          problems.add(variable + ": '" + text + "' has a prefix outside 0-" + network.length * 8);
          continue;
        }
        blocks.add(new Block(network, prefix));
      } catch (UnknownHostException | NumberFormatException e) {
        problems.add(variable + ": '" + text + "' is not an IP address or CIDR block (such as 10.0.0.5 or 10.0.0.0/24)");
      }
    }
    return new TrustedProxies(blocks, raw.strip());
  }

  public boolean any() {
    return !blocks.isEmpty();
  }

  /** Whether the peer at this literal address is a trusted proxy. */
  public boolean contains(String address) {
    if (address == null || blocks.isEmpty() || !address.matches("[0-9.]+|[0-9A-Fa-f:.%a-z]+")) {
      return false;
    }
    byte[] peer;
    try {
      peer = InetAddress.getByName(address.replaceFirst("%.*$", "")).getAddress();
    } catch (UnknownHostException e) {
      return false;
    }
    for (Block block : blocks) {
      if (block.network().length == peer.length && matches(block, peer)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(Block block, byte[] peer) {
    int bits = block.prefix();
    for (int i = 0; i < peer.length && bits > 0; i++, bits -= 8) {
      int mask = bits >= 8 ? 0xFF : (0xFF << (8 - bits)) & 0xFF;
      if ((peer[i] & mask) != (block.network()[i] & mask)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return written;
  }
}
