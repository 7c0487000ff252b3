package io.socketiocanary.jvm;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.socketiocanary.testsupport.CapturedLog;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

class CompilerAdviceTest {
  private CapturedLog log;

  @BeforeEach
  void capture() {
    log = CapturedLog.of(CompilerAdvice.class);
  }

  @AfterEach
  void release() {
    log.close();
  }

  @Test
  void c1OnlyIsATieredJvmStoppedBelowC2sTier() {
    assertThat(CompilerAdvice.c1Only(true, 1)).isTrue();
    assertThat(CompilerAdvice.c1Only(true, 3)).isTrue();
    assertThat(CompilerAdvice.c1Only(true, 4)).as("the JVM's default").isFalse();
    assertThat(CompilerAdvice.c1Only(false, 1)).as("-XX:-TieredCompilation: C2 alone").isFalse();
  }

  @Test
  void advisesOnceWhenAC1OnlyAgentReachesALargeFleetAndAgainAfterFallingBelow() {
    CompilerAdvice advice = new CompilerAdvice(true);
    assertThat(advice.check(CompilerAdvice.LARGE_FLEET_FROM - 1)).isFalse();
    assertThat(advice.check(CompilerAdvice.LARGE_FLEET_FROM)).isTrue();
    assertThat(advice.check(5_000)).as("said once").isFalse();
    assertThat(advice.check(60)).isFalse();
    assertThat(advice.check(2_000)).as("a reload grew the fleet again").isTrue();
    assertThat(log.events()).hasSize(2);
    ILoggingEvent first = log.events().get(0);
    assertThat(first.getKeyValuePairs()).anySatisfy(kv -> {
      assertThat(kv.key).isEqualTo("canaries");
      assertThat(kv.value).isEqualTo(CompilerAdvice.LARGE_FLEET_FROM);
    });
    assertThat(first.getFormattedMessage()).contains("C1 compiler only", "jvm.options=auto", "docs/docker.md");
  }

  @Test
  void saysNothingWhereC2IsOn() {
    CompilerAdvice advice = new CompilerAdvice(false);
    assertThat(advice.check(5_000)).isFalse();
    assertThat(log.events()).isEmpty();
  }

  @Test
  void readsThisJvmsFlags() {
    // The test JVM runs with the JVM's default compilers unless its command line stops at C1.
    boolean c1Only = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .anyMatch(a -> a.matches("-XX:TieredStopAtLevel=[0-3]"));
    assertThat(CompilerAdvice.forThisJvm().check(CompilerAdvice.LARGE_FLEET_FROM)).isEqualTo(c1Only);
  }

  @Test
  void theThresholdIsTheChartsDefaultAndTheDocsThousand() throws Exception {
    Map<String, Object> values = new Yaml(new SafeConstructor(new LoaderOptions()))
        .load(Files.readString(Path.of("helm", "socketio-canary", "values.yaml")));
    @SuppressWarnings("unchecked")
    Map<String, Object> jvm = (Map<String, Object>) values.get("jvm");
    assertThat(jvm).containsEntry("options", "auto").containsEntry("largeFleetFrom", CompilerAdvice.LARGE_FLEET_FROM);
    assertThat(Files.readString(Path.of("docs", "docker.md"))).contains("A thousand canaries or more in one agent");
  }
}
