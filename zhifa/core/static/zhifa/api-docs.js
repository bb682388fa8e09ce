// Starts the vendored Swagger UI on /api/docs (a static file: the CSP refuses inline scripts).
const page = document.body.dataset;
SwaggerUIBundle({
  url: page.openapiUrl,
  dom_id: "#swagger-ui",
  deepLinking: true,
  // No badge from the public validator: the page asks nothing of another origin.
  validatorUrl: null,
  // "Try it out" with the login session: unsafe methods need Django's CSRF token.
  requestInterceptor: (request) => {
    if (page.csrfToken && !["GET", "HEAD", "OPTIONS"].includes((request.method || "GET").toUpperCase())) {
      request.headers["X-CSRFToken"] = page.csrfToken;
    }
    return request;
  },
});
