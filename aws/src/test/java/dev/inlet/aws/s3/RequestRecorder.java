package dev.inlet.aws.s3;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Records every HTTP request the client sends, with the SDK operation's request class (give it to
 * {@code S3ProxyServer.client}).
 */
final class RequestRecorder implements ExecutionInterceptor {
  record Sent(String operation, SdkHttpRequest http) {
    String header(String name) {
      return http.firstMatchingHeader(name).orElse(null);
    }
  }

  private final List<Sent> sent = new CopyOnWriteArrayList<>();

  @Override
  public void beforeTransmission(
      Context.BeforeTransmission context, ExecutionAttributes attributes) {
    sent.add(new Sent(
        context.request().getClass().getSimpleName().replace("Request", ""),
        context.httpRequest()));
  }

  List<Sent> of(String operation) {
    List<Sent> out = new ArrayList<>();
    for (Sent s : sent) {
      if (s.operation().equals(operation)) {
        out.add(s);
      }
    }
    return out;
  }
}
