package io.socketiocanary.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.socketiocanary.testsupport.Nginx.LoggedRequest;
import org.junit.jupiter.api.Test;

/** Lines as nginx wrote them in {@code ChaosSoakIT} runs, in {@link Nginx}'s log format. */
class NginxLoggedRequestTest {

  @Test
  void aLongPollAnOldWorkerClosedWithoutAnswer() {
    LoggedRequest r = LoggedRequest.parse("127.0.0.1 \"GET /socket.io/?EIO=4&transport=polling&sid=ce-fc4JMjDAP8DQoAAN4"
        + " HTTP/1.1\" 000 2.001 - 1796182902.102 25583 63");
    assertThat(r).isEqualTo(new LoggedRequest("GET", "/socket.io/?EIO=4&transport=polling&sid=ce-fc4JMjDAP8DQoAAN4",
        0, 2.001, 1796182902.102, 25583));
  }

  @Test
  void severalUpstreamsTriedAndARequestLineWithoutUri() {
    LoggedRequest r = LoggedRequest.parse("127.0.0.1 \"POST /socket.io/?EIO=4 HTTP/1.1\" 200 0.013 502, 200"
        + " 1796183230.468 2669 1486");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.endEpochSeconds()).isEqualTo(1796183230.468);
    assertThat(r.workerPid()).isEqualTo(2669);
    assertThat(LoggedRequest.parse("127.0.0.1 \"-\" 400 0.000 - 1796183230.468 2669 7").method()).isEqualTo("-");
  }

  @Test
  void aLineOfAnotherFormatIsRefused() {
    assertThatThrownBy(() -> LoggedRequest.parse("127.0.0.1 \"GET / HTTP/1.1\" 200 0.001 200"))
        .hasMessageContaining("not an access log line");
  }
}
