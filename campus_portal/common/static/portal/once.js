// A second click must not send a second request (the server also dedupes by key): a button
// marked data-once is disabled once its form is submitted. A static file, not an inline
// script, so that the Content-Security-Policy can forbid inline scripts (docs/authorization.md).
document.addEventListener("submit", function (event) {
  event.target.querySelectorAll("button[data-once]").forEach(function (button) {
    button.disabled = true;
  });
});
