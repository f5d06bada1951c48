package dev.ems.platform.web;

import dev.ems.common.error.ErrorCode;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Tomcat's own error answers (a path it cannot decode or refuses: {@code %2F}, {@code %00}, {@code
 * %ZZ}; an oversized header) as RFC 9457 problems instead of its HTML page. Errors that reach
 * Spring are answered by {@link ProblemHandler}; this valve only writes when nothing else did.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
      return;
    }
    var code = status == 400 ? ErrorCode.MALFORMED_REQUEST : Problems.codeFor(status);
    try {
      response.setContentType("application/problem+json");
      response.setCharacterEncoding(StandardCharsets.UTF_8.name());
      Writer writer = response.getReporter();
      if (writer != null) {
        writer.write(
            "{\"type\":\""
                + code.typeUri()
                + "\",\"title\":\""
                + code.title()
                + "\",\"status\":"
                + status
                + ",\"detail\":\"The request could not be read\",\"code\":\""
                + code.code()
                + "\"}");
        response.finishResponse();
      }
    } catch (IOException | IllegalStateException e) {
      // the client is gone or the response was taken over: nothing more to say
    }
  }
}
