// The page's catalogue for scripts: t("English text") gives the text in the
// page's language (network/i18n.py puts the JSON in the page; CSP-safe).
(function () {
  "use strict";
  var catalogue = {};
  var source = document.getElementById("i18n-catalogue");
  if (source) {
    try { catalogue = JSON.parse(source.textContent) || {}; } catch (e) { catalogue = {}; }
  }
  // t("Wait {seconds} seconds", {seconds: 3}): placeholders in braces.
  window.t = function (text, values) {
    var out = Object.prototype.hasOwnProperty.call(catalogue, text) ? catalogue[text] : text;
    if (values) {
      out = out.replace(/\{(\w+)\}/g, function (whole, name) {
        return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
      });
    }
    return out;
  };
}());
