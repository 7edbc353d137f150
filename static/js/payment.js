// The card payment on the pay page, with server-side confirmation (payments/views.py):
//
// 1. Stripe.js mounts the card fields (in Stripe's own frame; offline, localstripe's stand-in renders
//    plain inputs) and turns the card into a payment-method reference in the browser: real Stripe.js
//    answers createPaymentMethod({type: "card", card}) with a "pm_..." id; localstripe's stand-in answers
//    nothing there, so we fall back to createToken(card) and send its "tok_..." id. Card numbers never
//    reach our server.
// 2. We POST only that reference (and our payment id) to the confirm URL. The server creates the
//    PaymentIntent for the order's own total with confirm=true; no amount is ever sent from here.
// 3. If the bank wants 3-D Secure, the answer carries the intent's client secret: we run
//    stripe.handleNextAction (confirmCardPayment on localstripe, which shows its own
//    "Complete authentication" / "Fail authentication" dialog), then ask the server to read the intent
//    again (refresh URL).
// 4. Every other answer names the page to go to; the server has put the message for the shopper there.
(function () {
  "use strict";
  var form = document.getElementById("card-payment-form");
  if (!form || typeof window.Stripe !== "function") {
    return;
  }
  var stripe = window.Stripe(form.dataset.publishableKey);
  var card = stripe.elements().create("card");
  card.mount("#card-element");
  var errors = document.getElementById("card-errors");
  var status = document.getElementById("card-status");
  var button = document.getElementById("card-pay-button");

  function show(message) {
    errors.textContent = message || "";
    status.textContent = "";
    button.disabled = false;
  }

  function post(url, extra) {
    var body = new FormData();
    body.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
    body.append("payment", form.elements.payment.value);
    Object.keys(extra || {}).forEach(function (key) { body.append(key, extra[key]); });
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: {"X-Requested-With": "fetch"},
    }).then(function (response) {
      return response.json().catch(function () { return {status: "error"}; });
    });
  }

  function paymentMethodReference() {
    return Promise.resolve(stripe.createPaymentMethod({type: "card", card: card})).then(function (result) {
      if (result && result.error) {
        return {error: result.error};
      }
      if (result && result.paymentMethod) {
        return {id: result.paymentMethod.id};
      }
      // localstripe: createPaymentMethod is a no-op, createToken registers the card with it.
      return stripe.createToken(card).then(function (tokenResult) {
        if (tokenResult.error) {
          return {error: tokenResult.error};
        }
        return {id: tokenResult.token.id};
      });
    });
  }

  function follow(answer) {
    if (answer.status === "requires_action" && answer.client_secret) {
      status.textContent = form.dataset.messageAuthenticate;
      // Our intents use automatic confirmation, so real Stripe.js finishes them with handleNextAction
      // (handleCardAction is for manual confirmation); localstripe only has confirmCardPayment.
      var action = stripe.handleNextAction
        ? stripe.handleNextAction({clientSecret: answer.client_secret})
        : stripe.confirmCardPayment(answer.client_secret);
      return Promise.resolve(action).then(function () {
        // Success or not, the server reads the intent and says what happened.
        return post(form.dataset.refreshUrl).then(follow);
      });
    }
    if (answer.redirect) {
      window.location.assign(answer.redirect);
      return null;
    }
    show(answer.message || form.dataset.messageFailed);
    return null;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (button.disabled) {
      return;
    }
    button.disabled = true;
    errors.textContent = "";
    status.textContent = form.dataset.messageWorking;
    paymentMethodReference()
      .then(function (reference) {
        if (reference.error) {
          show(reference.error.message || form.dataset.messageFailed);
          return null;
        }
        return post(form.action, {payment_method: reference.id}).then(follow);
      })
      .catch(function () {
        show(form.dataset.messageNetwork);
      });
  });
})();
