// CSRF for POST forms on pages shared from the page cache (the product page). Such a page cannot carry a
// per-visitor token, so its forms are rendered without one; before one is sent, this adds the visitor's
// token from the csrftoken cookie. A visitor without the cookie yet first asks the uncached token
// endpoint (data-token-url on this script's tag), which sets it. Forms rendered with {% csrf_token %}
// (every uncached page) are left alone, so they work without this script, and without JavaScript.
(function () {
  "use strict";

  var FIELD = "csrfmiddlewaretoken";
  var script = document.currentScript;
  var tokenUrl = script ? script.getAttribute("data-token-url") : null;

  function cookieToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function needsToken(form) {
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") {
      return false;
    }
    if (form.elements[FIELD]) {
      return false;
    }
    // Never hand the token to another site.
    return new URL(form.action, window.location.href).origin === window.location.origin;
  }

  function addHidden(form, name, value) {
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    form.appendChild(input);
  }

  function fetchToken() {
    if (!tokenUrl) {
      return Promise.resolve("");
    }
    return fetch(tokenUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : {};
      })
      .then(
        function (data) {
          return data.token || cookieToken();
        },
        function () {
          return "";
        }
      );
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !needsToken(form)) {
      return;
    }
    var token = cookieToken();
    if (token) {
      addHidden(form, FIELD, token);
      return;
    }
    event.preventDefault();
    var submitter = event.submitter;
    fetchToken().then(function (fetched) {
      // Without a token (cookies blocked, offline) the form still goes: the server's 403 page says why.
      addHidden(form, FIELD, fetched);
      // submit() sends no submit event (so no second round here) and no button: carry the button along.
      if (submitter && submitter.name) {
        addHidden(form, submitter.name, submitter.value);
      }
      HTMLFormElement.prototype.submit.call(form);
    });
  });
})();
