package io.socketiocanary.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.socketiocanary.Main;
import io.socketiocanary.compare.FleetHistoryFile.Phase;
import io.socketiocanary.testsupport.AgentProcess;
import io.socketiocanary.testsupport.FreePorts;
import io.socketiocanary.testsupport.ManagedProcess;
import io.socketiocanary.testsupport.PrometheusServer;
import io.socketiocanary.testsupport.Tools;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code compare} against a real Prometheus behind a real nginx that demands, on one port each, a
 * bearer token, basic auth, an {@code X-Scope-OrgID} header, TLS from a private CA, and TLS with
 * a certificate for another name. Each is refused without its option and answers with it; no
 * secret appears in any output.
 */
class CompareAuthIT {
  private static final String TOKEN = "bearer-secret-4b9d1e";
  private static final String PASSWORD = "basic-secret-8c2f7a";
  private static final String ORG = "team-a-secret-org-5e1";

  @TempDir static Path dir;
  static PrometheusServer prometheus;
  static ManagedProcess nginx;
  static long afterStart;
  static int bearerPort;
  static int basicPort;
  static int headerPort;
  static int caPort;
  static int wrongNamePort;

  record Run(int exitCode, String out, String err) {
    String all() {
      return out + err;
    }
  }

  @BeforeAll
  static void prometheusBehindNginx() throws Exception {
    long beforeStart = Instant.now().minus(Duration.ofHours(6)).getEpochSecond() / 60 * 60;
    afterStart = beforeStart + 3600;
    Path file = dir.resolve("fleet.om.txt");
    new FleetHistoryFile(beforeStart)
        .target("regress", new Phase(30, 0.8, 350, 0, 0), new Phase(90, 7, 55, 20, 2))
        .write(file);
    PrometheusServer.importOpenMetrics(file, dir.resolve("data"));
    prometheus = PrometheusServer.start(dir.resolve("data"), dir);
    int prometheusPort = Integer.parseInt(prometheus.url().substring(prometheus.url().lastIndexOf(':') + 1));

    Path openssl = Tools.require("openssl");
    openssl(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
        "-days", "2", "-subj", "/CN=compare-test-ca");
    openssl(openssl, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
        "-subj", "/CN=127.0.0.1");
    Files.writeString(dir.resolve("san.cnf"), "subjectAltName=IP:127.0.0.1\n");
    openssl(openssl, "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", "server.pem", "-days", "2", "-extfile", "san.cnf");
    openssl(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "wrong.key", "-out", "wrong.pem",
        "-days", "2", "-subj", "/CN=wrong.example", "-addext", "subjectAltName=DNS:wrong.example");
    // nginx's own plain-text password scheme: no htpasswd tool needed.
    Files.writeString(dir.resolve("htpasswd"), "canary:{PLAIN}" + PASSWORD + "\n");

    bearerPort = FreePorts.pick();
    basicPort = FreePorts.pick();
    headerPort = FreePorts.pick();
    caPort = FreePorts.pick();
    wrongNamePort = FreePorts.pick();
    String upstream = "proxy_pass http://127.0.0.1:" + prometheusPort + ";";
    String user = "root".equals(System.getProperty("user.name")) ? "user root;\n" : "";
    String conf = user + """
        worker_processes 1;
        pid %1$s/nginx.pid;
        error_log stderr notice;
        events { worker_connections 64; }
        http {
          access_log %1$s/access.log;
          client_body_temp_path %1$s/client_body_temp;
          proxy_temp_path %1$s/proxy_temp;
          fastcgi_temp_path %1$s/fastcgi_temp;
          uwsgi_temp_path %1$s/uwsgi_temp;
          scgi_temp_path %1$s/scgi_temp;
          server {
            listen 127.0.0.1:%2$d;
            location / { if ($http_authorization != "Bearer %8$s") { return 401; } %7$s }
          }
          server {
            listen 127.0.0.1:%3$d;
            location / { auth_basic "prometheus"; auth_basic_user_file %1$s/htpasswd; %7$s }
          }
          server {
            listen 127.0.0.1:%4$d;
            location / { if ($http_x_scope_orgid != "%9$s") { return 401; } %7$s }
          }
          server {
            listen 127.0.0.1:%5$d ssl;
            ssl_certificate %1$s/server.pem;
            ssl_certificate_key %1$s/server.key;
            location / { %7$s }
          }
          server {
            listen 127.0.0.1:%6$d ssl;
            ssl_certificate %1$s/wrong.pem;
            ssl_certificate_key %1$s/wrong.key;
            location / { %7$s }
          }
        }
        """.formatted(dir, bearerPort, basicPort, headerPort, caPort, wrongNamePort, upstream, TOKEN, ORG);
    Files.writeString(dir.resolve("nginx.conf"), conf);
    nginx = ManagedProcess.start("nginx-compare-auth", List.of(Tools.require("nginx").toString(), "-e", "stderr",
        "-p", dir + "/", "-c", dir.resolve("nginx.conf").toString(), "-g", "daemon off;"), Map.of(), dir);
    for (int port : new int[] {bearerPort, basicPort, headerPort, caPort, wrongNamePort}) {
      nginx.awaitPort(port, Duration.ofSeconds(10));
    }
  }

  @AfterAll
  static void stop() {
    if (nginx != null) {
      nginx.stop(Duration.ofSeconds(5));
    }
    if (prometheus != null) {
      prometheus.close();
    }
  }

  @Test
  void aBearerTokenFromAFile() throws Exception {
    Run refused = compare("http", bearerPort);
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.err().strip()).isEqualTo("error: Prometheus at http://127.0.0.1:" + bearerPort
        + "/ answered HTTP 401 (unauthorized) with no authentication; check --bearer-token-file,"
        + " --basic-auth-user/--basic-auth-password-file and --header");

    Run wrong = compare("http", bearerPort, "--bearer-token-file", secretFile("wrong-token", "not-" + TOKEN).toString());
    assertThat(wrong.exitCode()).isEqualTo(2);
    assertThat(wrong.err()).contains("answered HTTP 401 (unauthorized) with bearer token from ");

    Run ok = compare("http", bearerPort, "--bearer-token-file", secretFile("token", TOKEN + "\n").toString());
    assertRegressionFound(ok);

    Run missing = compare("http", bearerPort, "--bearer-token-file", dir.resolve("no-such-file").toString());
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("--bearer-token-file: cannot read " + dir.resolve("no-such-file"));
  }

  @Test
  void basicAuthWithThePasswordFromAFile() throws Exception {
    Run wrong = compare("http", basicPort, "--basic-auth-user", "canary", "--basic-auth-password-file",
        secretFile("wrong-password", "not-" + PASSWORD).toString());
    assertThat(wrong.exitCode()).isEqualTo(2);
    assertThat(wrong.err()).contains("answered HTTP 401 (unauthorized) with basic auth as canary");

    Run ok = compare("http", basicPort, "--basic-auth-user", "canary", "--basic-auth-password-file",
        secretFile("password", PASSWORD).toString());
    assertRegressionFound(ok);

    Run half = compare("http", basicPort, "--basic-auth-user", "canary");
    assertThat(half.exitCode()).isEqualTo(2);
    assertThat(half.err()).contains("--basic-auth-user and --basic-auth-password-file go together");
  }

  @Test
  void anExtraHeaderSuchAsTheTenantOfMimir() {
    assertThat(compare("http", headerPort).err()).contains("answered HTTP 401");
    Run wrong = compare("http", headerPort, "--header", "X-Scope-OrgID=team-b");
    assertThat(wrong.err()).contains("answered HTTP 401 (unauthorized) with header X-Scope-OrgID;");
    assertRegressionFound(compare("http", headerPort, "--header", "X-Scope-OrgID=" + ORG));
  }

  @Test
  void aPrivateCaFile() {
    Run untrusted = compare("https", caPort);
    assertThat(untrusted.exitCode()).isEqualTo(2);
    assertThat(untrusted.err()).startsWith("error: TLS with Prometheus at https://127.0.0.1:" + caPort + "/ failed: ")
        .contains("(a private CA: --ca-file; a lab: --insecure-skip-verify)").hasLineCount(1);
    assertRegressionFound(compare("https", caPort, "--ca-file", dir.resolve("ca.pem").toString()));
  }

  @Test
  void skippingVerificationAcceptsACertificateForAnotherName() {
    // Its own certificate as the CA: trusted, but issued for wrong.example, not 127.0.0.1.
    Run wrongName = compare("https", wrongNamePort, "--ca-file", dir.resolve("wrong.pem").toString());
    assertThat(wrongName.exitCode()).isEqualTo(2);
    assertThat(wrongName.err()).startsWith("error: TLS with Prometheus at https://127.0.0.1:" + wrongNamePort);
    assertRegressionFound(compare("https", wrongNamePort, "--insecure-skip-verify"));

    Run both = compare("https", wrongNamePort, "--insecure-skip-verify", "--ca-file", dir.resolve("ca.pem").toString());
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains("--ca-file and --insecure-skip-verify are mutually exclusive");
  }

  @Test
  void theJarWithEverySecretPrintsNoneOfThem() throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", AgentProcess.jar().toString()));
    command.addAll(args("http", bearerPort, "--bearer-token-file", secretFile("jar-token", TOKEN).toString(),
        "--header", "X-Scope-OrgID=" + ORG, "--format", "markdown"));
    try (ManagedProcess jar = ManagedProcess.start("compare-auth-jar", command, Map.of(), null)) {
      assertThat(jar.awaitExit(Duration.ofSeconds(30))).as(jar.describeTail()).hasValue(3);
      String output = String.join("\n", jar.lines());
      assertThat(output).contains("**worse**");
      assertNoSecret(output);
    }
  }

  private static void assertRegressionFound(Run run) {
    assertThat(run.exitCode()).as("%s%s", run.out(), run.err()).isEqualTo(3);
    assertThat(run.out()).containsPattern("regress +websocket +disconnects/h all .* worse ");
    assertNoSecret(run.all());
  }

  private static void assertNoSecret(String text) {
    assertThat(text).doesNotContain(TOKEN).doesNotContain(PASSWORD).doesNotContain(ORG);
  }

  private static Path secretFile(String name, String content) throws Exception {
    return Files.writeString(dir.resolve(name), content);
  }

  private static List<String> args(String scheme, int port, String... extra) {
    List<String> args = new ArrayList<>(List.of("compare", "--prometheus", scheme + "://127.0.0.1:" + port,
        "--before", (afterStart - 3600) + ".." + afterStart, "--after", afterStart + ".." + (afterStart + 3600),
        "--target", "regress", "--fail-on-regression", "--timeout", "10s"));
    args.addAll(List.of(extra));
    return args;
  }

  /** The command line in-process, as the jar's main runs it; every run is checked for secrets. */
  private static Run compare(String scheme, int port, String... extra) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
        .execute(args(scheme, port, extra).toArray(String[]::new));
    Run run = new Run(code, out.toString(), err.toString());
    assertNoSecret(run.all());
    return run;
  }

  private static void openssl(Path openssl, String... args) {
    List<String> command = new ArrayList<>(List.of(openssl.toString()));
    command.addAll(List.of(args));
    try (ManagedProcess p = ManagedProcess.start("openssl-compare-auth", command, Map.of(), dir)) {
      assertThat(p.awaitExit(Duration.ofSeconds(30))).as(p.describeTail()).hasValue(0);
    }
  }
}
