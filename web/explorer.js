// The API explorer: Swagger UI on the server's own OpenAPI document. "Try
// it out" calls this server; the Bearer token given under "Authorize" is
// kept in the browser's local storage across reloads.
window.addEventListener('load', () => {
  window.ui = SwaggerUIBundle({
    url: '/api/v2/schema/',
    dom_id: '#swagger-ui',
    deepLinking: true,
    persistAuthorization: true,
    displayRequestDuration: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: 'StandaloneLayout',
  });
});
