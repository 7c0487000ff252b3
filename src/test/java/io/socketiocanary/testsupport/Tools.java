package io.socketiocanary.testsupport;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the external programs the integration tests start (node, nginx, haproxy, …) and the
 * Node test servers. Owns the rule for a missing tool: under {@code CI=true} it is a test
 * failure, elsewhere the test is skipped with a message that says how to install it.
 * Stateless and thread-safe.
 */
public final class Tools {

  private static final String INSTALL_HINT = "run scripts/install-test-deps.sh";

  private Tools() {}

  /** The path of {@code binary} on PATH, /usr/sbin or /usr/bin; fails or skips if absent. */
  public static Path require(String binary) {
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(File.pathSeparator)));
    }
    dirs.add("/usr/sbin");
    dirs.add("/usr/bin");
    for (String dir : dirs) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, binary);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return missing(binary + " not found on PATH, /usr/sbin or /usr/bin; " + INSTALL_HINT);
  }

  /**
   * The {@code testservers/} directory with its node_modules installed: the system property
   * {@code canary.testservers} (set by failsafe), else {@code testservers} under the working
   * directory.
   */
  public static Path testServersDir() {
    Path dir = Path.of(System.getProperty("canary.testservers", "testservers")).toAbsolutePath();
    if (!Files.isRegularFile(dir.resolve("sio-server.js"))) {
      throw new IllegalStateException("no sio-server.js in " + dir + " (system property canary.testservers)");
    }
    if (!Files.isDirectory(dir.resolve("node_modules"))) {
      return missing("Node test servers not installed: " + dir.resolve("node_modules")
          + " is missing; " + INSTALL_HINT);
    }
    return dir;
  }

  /** {@link #testServersDir()}, also checking that the npm package {@code module} is installed there. */
  public static Path testServersDir(String module) {
    Path dir = testServersDir();
    if (!Files.isDirectory(dir.resolve("node_modules").resolve(module))) {
      return missing("npm package " + module + " not installed in " + dir + "; " + INSTALL_HINT);
    }
    return dir;
  }

  /**
   * Root, for tests that make a mount namespace or bind port 53 (scripts/test.sh runs as root,
   * as CI does); fails under CI, skips elsewhere.
   */
  public static void requireRoot(String why) {
    require("unshare");
    if (!"root".equals(System.getProperty("user.name"))) {
      missing("root needed: " + why + "; run the tests as root, as scripts/test.sh does");
    }
  }

  /** True when the environment says we run in CI, where skipping would hide a broken machine. */
  public static boolean underCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  private static <T> T missing(String message) {
    if (underCi()) {
      return fail("CI=true and " + message);
    }
    Assumptions.abort(message);
    throw new AssertionError("unreachable");
  }
}
