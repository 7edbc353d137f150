// A second click on "Place order" while the first is on its way would only be answered with the same
// order (the form carries an idempotency key); disabling the button just spares the shopper the wait.
document.addEventListener("submit", function (event) {
  var button = event.submitter;
  if (button && button.name === "action" && button.value === "place") {
    setTimeout(function () { button.disabled = true; }, 0);
  }
});
