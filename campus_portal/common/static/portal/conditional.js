// Conditional fields of configured matters (matter_config): a field's block carries
// data-visible-when (the field it depends on) and data-visible-equals (the answers, "|"-separated)
// and is shown only when that field has one of them. The server drops hidden answers anyway, so
// this is only for the eye. A static file, not an inline script: the Content-Security-Policy
// allows scripts from our own static files only.
(function () {
  var form = document.querySelector("form[enctype]");
  var dependants = document.querySelectorAll("[data-visible-when]");
  if (!form || !dependants.length) return;
  function answers(name) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name === name && ((el.type !== "radio" && el.type !== "checkbox") || el.checked);
    }).map(function (el) { return el.value; });
  }
  function update() {
    dependants.forEach(function (input) {
      var wanted = input.getAttribute("data-visible-equals").split("|");
      var shown = answers(input.getAttribute("data-visible-when")).some(function (v) {
        return wanted.indexOf(v) >= 0;
      });
      var group = input;  // the field's own block: the form's child holding the input
      while (group.parentElement && group.parentElement !== form) group = group.parentElement;
      group.hidden = !shown;
    });
  }
  form.addEventListener("change", update);
  update();
})();
