package io.socketiocanary.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A process's TCP sockets as Linux shows them: its descriptors ({@code /proc/<pid>/fd}) name
 * socket inodes, and {@code /proc/net/tcp} and {@code tcp6} give each inode's addresses and state.
 */
final class ProcSockets {
  /** The kernel's TCP state number for LISTEN (include/net/tcp_states.h). */
  static final String LISTEN = "0A";

  private ProcSockets() {}

  /** One line of {@code /proc/net/tcp} or {@code tcp6}. */
  record TcpSocket(int localPort, int remotePort, String state, String inode) {}

  /** The inodes of the sockets {@code pid} holds open; fails if the process is gone. */
  static Set<String> inodesOf(long pid) {
    Set<String> inodes = new HashSet<>();
    try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException e) {
          // Closed meanwhile.
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the descriptors of " + pid, e);
    }
    return inodes;
  }

  /** Every TCP socket of this machine, IPv4 and IPv6. */
  static List<TcpSocket> all() {
    List<TcpSocket> sockets = new ArrayList<>();
    try {
      for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
        List<String> lines = Files.readAllLines(Path.of(table));
        for (String line : lines.subList(1, lines.size())) {
          // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
          String[] f = line.strip().split("\\s+");
          sockets.add(new TcpSocket(port(f[1]), port(f[2]), f[3], f[9]));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /proc/net/tcp", e);
    }
    return sockets;
  }

  /** The inodes of the sockets listening on {@code port}. */
  static Set<String> listening(int port) {
    Set<String> inodes = new HashSet<>();
    for (TcpSocket s : all()) {
      if (LISTEN.equals(s.state()) && s.localPort() == port) {
        inodes.add(s.inode());
      }
    }
    return inodes;
  }

  private static int port(String address) {
    return Integer.parseInt(address.substring(address.indexOf(':') + 1), 16);
  }
}
