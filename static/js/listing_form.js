// Seller listing form: when another category is chosen, fetch the form re-drawn for it (what the
// "Refresh fields" button does without JavaScript) and swap in its specification fields and SKU table,
// so the page does not reload under the seller. Anything unexpected falls back to the button.
(function () {
  "use strict";

  var button = document.querySelector("button[name='refresh']");
  var form = button && button.form;
  var select = form && form.querySelector("select[name='category']");
  var status = document.getElementById("listing-attributes-status");
  var regions = ["listing-attributes", "listing-skus"];
  if (!select) {
    return;
  }

  // What the seller typed while the request was under way wins over what the server echoed back.
  function carryOver(stale, fresh) {
    fresh.querySelectorAll("input[name], select[name], textarea[name]").forEach(function (field) {
      var old = stale.querySelector("[name='" + CSS.escape(field.name) + "']");
      if (!old || field.type === "hidden" || field.type === "file") {
        return;
      }
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = old.checked;
      } else {
        field.value = old.value;
      }
    });
  }

  select.addEventListener("change", function () {
    var data = new FormData(form);
    Array.from(data.entries()).forEach(function (entry) {
      if (entry[1] instanceof File) {
        data.delete(entry[0]); // pictures are not needed to draw the fields
      }
    });
    data.delete("publish");
    data.set("refresh", "1");
    fetch(form.action || window.location.href, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        regions.forEach(function (id) {
          var fresh = page.getElementById(id);
          var stale = document.getElementById(id);
          if (!fresh || !stale) {
            throw new Error("missing #" + id);
          }
          carryOver(stale, fresh);
          stale.replaceWith(fresh);
        });
        if (status) {
          status.textContent = status.dataset.done || "";
        }
      })
      .catch(function () {
        form.requestSubmit(document.querySelector("button[name='refresh']"));
      });
  });
})();
