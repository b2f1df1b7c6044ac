package dev.meshaware.agent.library.jetty;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@link JettyOlderApp}'s filter and servlet, {@code jakarta.servlet}. */
final class JakartaParts {
  private JakartaParts() {}

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
