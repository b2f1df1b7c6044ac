package dev.meshaware.agent.library.jetty;

import java.io.IOException;
import javax.servlet.AsyncContext;
import javax.servlet.DispatcherType;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/** {@link JettyOlderApp}'s filter and servlet, {@code javax.servlet}. */
final class JavaxParts {
  private JavaxParts() {}

  /** Calls out on every dispatch, before the servlet. */
  static final class CallingFilter implements Filter {
    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
        throws IOException, ServletException {
      String url = request.getParameter("url");
      if (url != null) {
        String dispatch = request.getDispatcherType().name();
        String seen =
            JettyOlderApp.callFor(
                dispatch,
                request.getParameter("client"),
                url + "/" + dispatch,
                request.getParameter("appset"));
        Object before = request.getAttribute("seen");
        request.setAttribute("seen", before == null ? seen : before + " " + seen);
      }
      chain.doFilter(request, response);
    }
  }

  /** Answers with what the filter saw; with {@code async=1}, dispatches once more first. */
  static final class AsyncServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      if ("1".equals(request.getParameter("async"))
          && request.getDispatcherType() == DispatcherType.REQUEST) {
        AsyncContext async = request.startAsync();
        JettyOlderApp.ORPHAN_WORK.add(async::dispatch);
        return;
      }
      response.getWriter().write(String.valueOf(request.getAttribute("seen")));
    }
  }
}
