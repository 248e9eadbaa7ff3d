/*
 * A Stripe.js-compatible script for the local Stripe stand-in, served at `<stand-in>/v3/`.
 *
 * Defines `window.Stripe(publishableKey)` with the calls the portal makes on Stripe.js:
 * `elements({ clientSecret })`, `elements.create('payment' | 'card')`, an element's `mount`,
 * `on('ready' | 'change')`, `unmount`, `destroy`, and `stripe.confirmSetup(...)`,
 * `stripe.confirmCardSetup(...)`, `stripe.retrieveSetupIntent(...)`. Instead of card fields the
 * element shows a picker of Stripe's test cards; confirming talks to the stand-in with the
 * publishable key and the SetupIntent's client secret, as Stripe.js talks to Stripe. A card that
 * asks for authentication opens a small "test authentication" dialog, like Stripe's test 3-D
 * Secure page. Plain JavaScript, no build step; confirm calls resolve `{ setupIntent }` or
 * `{ error }` and never throw.
 */
/* global window, document, fetch, URL, URLSearchParams, location */
(function () {
  'use strict';

  // The server replaces this with its own origin when it serves the script.
  var API_BASE = '__STRIPE_STANDIN_URL__';

  /** Stripe's test PaymentMethods the picker offers, in order. */
  var TEST_CARDS = [
    { id: 'pm_card_visa', label: 'Visa — succeeds', detail: 'Visa ending 4242' },
    { id: 'pm_card_chargeCustomerFail', label: 'Declined on every charge', detail: 'Visa ending 0341: added, then every payment is declined' },
    { id: 'pm_card_authenticationRequiredOnSetup', label: 'Asks for authentication', detail: 'Visa ending 3155: 3-D Secure when added' },
    { id: 'pm_card_authenticationRequired', label: 'Asks for authentication on every payment', detail: 'Visa ending 3184: 3-D Secure for each payment' },
    { id: 'pm_card_chargeDeclined', label: 'Declined when added', detail: 'Visa ending 0002' },
  ];

  var instances = 0;

  function connectionError() {
    return { type: 'api_connection_error', message: 'Could not reach the payment service. Check your connection and try again.' };
  }

  function intentIdFromSecret(clientSecret) {
    var at = typeof clientSecret === 'string' ? clientSecret.indexOf('_secret_') : -1;
    return at > 0 ? clientSecret.slice(0, at) : null;
  }

  /** A form-encoded call with the publishable key, resolving `{ body }` or `{ error }`. */
  function request(key, method, path, params) {
    var query = new URLSearchParams(Object.assign({ key: key }, params || {})).toString();
    var url = API_BASE + path + (method === 'GET' ? '?' + query : '');
    var init = { method: method };
    if (method !== 'GET') {
      init.headers = { 'content-type': 'application/x-www-form-urlencoded' };
      init.body = query;
    }
    return fetch(url, init).then(
      function (res) {
        return res.json().then(
          function (body) {
            return res.ok ? { body: body } : { error: (body && body.error) || connectionError() };
          },
          function () {
            return { error: connectionError() };
          },
        );
      },
      function () {
        return { error: connectionError() };
      },
    );
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      node.setAttribute(name, attrs[name]);
    });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** The element: a labelled radio group of test cards (native radios, so arrow keys and Tab work). */
  function createElement(type, elements) {
    instances += 1;
    var uid = 'stripe-standin-' + instances;
    var handlers = { ready: [], change: [], focus: [], blur: [] };
    var root = null;
    var selected = null;
    var destroyed = false;

    function emit(name, payload) {
      (handlers[name] || []).slice().forEach(function (cb) {
        cb(payload);
      });
    }

    function changePayload() {
      var payload = { elementType: type, empty: selected === null, complete: selected !== null };
      if (type === 'payment') payload.value = { type: 'card' };
      else payload.brand = selected ? 'visa' : 'unknown';
      return payload;
    }

    function render() {
      var fieldset = el('fieldset', { class: 'stripe-standin-element', 'data-stripe-standin': type });
      fieldset.appendChild(el('legend', {}, 'Test card'));
      fieldset.appendChild(el('p', { id: uid + '-note' }, 'Stripe test mode: pick a test card; no real card is used.'));
      TEST_CARDS.forEach(function (card, index) {
        var id = uid + '-' + index;
        var row = el('div', { class: 'stripe-standin-option' });
        var input = el('input', { type: 'radio', id: id, name: uid, value: card.id, 'aria-describedby': id + '-detail' });
        if (selected === card.id) input.checked = true;
        input.addEventListener('change', function () {
          if (!input.checked) return;
          selected = card.id;
          emit('change', changePayload());
        });
        input.addEventListener('focus', function () {
          emit('focus', { elementType: type });
        });
        input.addEventListener('blur', function () {
          emit('blur', { elementType: type });
        });
        row.appendChild(input);
        row.appendChild(el('label', { for: id }, card.label));
        row.appendChild(el('small', { id: id + '-detail' }, ' ' + card.detail));
        fieldset.appendChild(row);
      });
      return fieldset;
    }

    var element = {
      mount: function (target) {
        if (destroyed) throw new Error('This Element has already been destroyed. Please create a new one.');
        var container = typeof target === 'string' ? document.querySelector(target) : target;
        if (!container) throw new Error('The selector you specified (' + String(target) + ') applies to no DOM elements that are currently on the page.');
        if (root && root.parentNode) root.parentNode.removeChild(root);
        root = render();
        container.appendChild(root);
        // Stripe.js reports ready asynchronously, once its iframe has loaded.
        Promise.resolve().then(function () {
          if (root) emit('ready', { elementType: type });
        });
        return element;
      },
      unmount: function () {
        if (root && root.parentNode) root.parentNode.removeChild(root);
        root = null;
        return element;
      },
      destroy: function () {
        element.unmount();
        destroyed = true;
        elements._remove(type);
      },
      on: function (name, cb) {
        if (handlers[name]) handlers[name].push(cb);
        return element;
      },
      off: function (name, cb) {
        if (handlers[name]) handlers[name] = handlers[name].filter(function (h) {
          return h !== cb;
        });
        return element;
      },
      once: function (name, cb) {
        function wrapped(payload) {
          element.off(name, wrapped);
          cb(payload);
        }
        return element.on(name, wrapped);
      },
      update: function () {
        return element;
      },
      focus: function () {
        var first = root && root.querySelector('input');
        if (first) first.focus();
      },
      blur: function () {},
      clear: function () {
        selected = null;
        if (root) element.mount(root.parentNode);
        emit('change', changePayload());
      },
      /** The chosen test PaymentMethod, or null (read by confirmSetup). */
      _selected: function () {
        return selected;
      },
    };
    return element;
  }

  /** The test authentication dialog; resolves true (completed) or false (failed). */
  function authenticate() {
    return new Promise(function (resolve) {
      instances += 1;
      var uid = 'stripe-standin-auth-' + instances;
      var previous = document.activeElement;
      var backdrop = el('div', {
        class: 'stripe-standin-backdrop',
        style: 'position:fixed;inset:0;background:rgba(0,0,0,.5);display:flex;align-items:center;justify-content:center;z-index:2147483647',
      });
      var dialog = el('div', {
        role: 'dialog',
        'aria-modal': 'true',
        'aria-labelledby': uid + '-title',
        'aria-describedby': uid + '-text',
        style: 'background:#fff;color:#111;padding:1.5rem;max-width:26rem;border-radius:8px;font:16px/1.4 system-ui,sans-serif',
      });
      dialog.appendChild(el('h2', { id: uid + '-title', style: 'margin-top:0;font-size:1.25rem' }, 'Test card authentication'));
      dialog.appendChild(
        el('p', { id: uid + '-text' }, 'Your bank asks you to confirm this card (3-D Secure). This is a test page: choose the outcome.'),
      );
      var complete = el('button', { type: 'button', style: 'margin-right:.75rem' }, 'Complete authentication');
      var fail = el('button', { type: 'button' }, 'Fail authentication');
      dialog.appendChild(complete);
      dialog.appendChild(fail);
      backdrop.appendChild(dialog);

      function close(outcome) {
        if (backdrop.parentNode) backdrop.parentNode.removeChild(backdrop);
        if (previous && typeof previous.focus === 'function') previous.focus();
        resolve(outcome);
      }
      complete.addEventListener('click', function () {
        close(true);
      });
      fail.addEventListener('click', function () {
        close(false);
      });
      dialog.addEventListener('keydown', function (event) {
        if (event.key === 'Escape') {
          close(false);
        } else if (event.key === 'Tab') {
          // Keep focus on the two buttons while the dialog is open.
          event.preventDefault();
          (document.activeElement === complete ? fail : complete).focus();
        }
      });
      document.body.appendChild(backdrop);
      complete.focus();
    });
  }

  function Stripe(publishableKey, options) {
    if (!(this instanceof Stripe)) return new Stripe(publishableKey, options);
    if (typeof publishableKey !== 'string' || !/^pk_test_\w+$/.test(publishableKey)) {
      throw new Error('Invalid API Key provided: ' + String(publishableKey) + ' (the Stripe stand-in accepts test publishable keys, pk_test_...)');
    }
    var key = publishableKey;

    function setupIntentResult(body) {
      if (body.status === 'succeeded' || body.status === 'processing') return { setupIntent: body };
      var last = body.last_setup_error;
      if (last) return { error: Object.assign({}, last, { setup_intent: body }) };
      return { setupIntent: body };
    }

    /** Confirms the SetupIntent with a test PaymentMethod, authenticating when asked to. */
    function confirm(clientSecret, paymentMethod, confirmParams, redirect) {
      var id = intentIdFromSecret(clientSecret);
      if (!id) {
        return Promise.resolve({ error: { type: 'invalid_request_error', code: 'invalid_client_secret', message: 'Invalid value for clientSecret: it should be a SetupIntent client secret.' } });
      }
      if (!paymentMethod) {
        return Promise.resolve({ error: { type: 'validation_error', code: 'incomplete', message: 'Choose a test card.' } });
      }
      var params = { client_secret: clientSecret, payment_method: paymentMethod };
      if (confirmParams && confirmParams.return_url) params.return_url = confirmParams.return_url;
      return request(key, 'POST', '/v1/setup_intents/' + encodeURIComponent(id) + '/confirm', params)
        .then(function (answer) {
          if (answer.error) return answer;
          if (answer.body.status !== 'requires_action') return { body: answer.body };
          return authenticate().then(function (completed) {
            return request(key, 'POST', '/_standin/setup_intents/' + encodeURIComponent(id) + '/authenticate', {
              client_secret: clientSecret,
              outcome: completed ? 'complete' : 'fail',
            });
          });
        })
        .then(function (answer) {
          if (answer.error) return { error: answer.error };
          var result = setupIntentResult(answer.body);
          var returnUrl = confirmParams && confirmParams.return_url;
          if (result.setupIntent && redirect !== 'if_required' && returnUrl) {
            var target = new URL(returnUrl, location.href);
            target.searchParams.set('setup_intent', result.setupIntent.id);
            target.searchParams.set('setup_intent_client_secret', clientSecret);
            target.searchParams.set('redirect_status', result.setupIntent.status);
            location.assign(target.toString());
          }
          return result;
        })
        .catch(function () {
          return { error: connectionError() };
        });
    }

    this.elements = function (elementsOptions) {
      var clientSecret = elementsOptions && elementsOptions.clientSecret;
      var created = {};
      var elements = {
        create: function (type) {
          if (type !== 'payment' && type !== 'card') throw new Error('The Stripe stand-in supports the payment and card elements, not ' + String(type) + '.');
          if (created[type]) throw new Error('Can only create one Element of type ' + type + '.');
          created[type] = createElement(type, elements);
          return created[type];
        },
        getElement: function (type) {
          return created[type] || null;
        },
        update: function (updates) {
          if (updates && updates.clientSecret) clientSecret = updates.clientSecret;
          return elements;
        },
        fetchUpdates: function () {
          return Promise.resolve({});
        },
        submit: function () {
          var element = created.payment || created.card;
          if (element && element._selected()) return Promise.resolve({});
          return Promise.resolve({ error: { type: 'validation_error', code: 'incomplete', message: 'Choose a test card.' } });
        },
        _clientSecret: function () {
          return clientSecret;
        },
        _remove: function (type) {
          delete created[type];
        },
      };
      return elements;
    };

    this.confirmSetup = function (args) {
      var elements = args && args.elements;
      var secret = (args && args.clientSecret) || (elements && elements._clientSecret());
      var element = elements && (elements.getElement('payment') || elements.getElement('card'));
      return confirm(secret, element ? element._selected() : null, args && args.confirmParams, args && args.redirect);
    };

    this.confirmCardSetup = function (clientSecret, data) {
      var pm = data && data.payment_method;
      var chosen = typeof pm === 'string' ? pm : pm && pm.card && typeof pm.card._selected === 'function' ? pm.card._selected() : null;
      return confirm(clientSecret, chosen, null, 'if_required');
    };

    function paymentIntentResult(body) {
      if (body.status === 'succeeded' || body.status === 'processing' || body.status === 'requires_capture') return { paymentIntent: body };
      var last = body.last_payment_error;
      if (last) return { error: Object.assign({}, last, { payment_intent: body }) };
      return { paymentIntent: body };
    }

    /**
     * Takes a PaymentIntent to its end as Stripe.js does: confirms it when it waits for that, and
     * when it asks for authentication shows the test 3-D Secure dialog, reports the outcome and
     * confirms the authenticated payment.
     */
    function settlePayment(clientSecret, paymentMethod, confirmFirst) {
      var id = intentIdFromSecret(clientSecret);
      if (!id || id.indexOf('pi_') !== 0) {
        return Promise.resolve({ error: { type: 'invalid_request_error', code: 'invalid_client_secret', message: 'Invalid value for clientSecret: it should be a PaymentIntent client secret.' } });
      }
      var path = '/v1/payment_intents/' + encodeURIComponent(id);
      function confirmNow() {
        var params = { client_secret: clientSecret };
        if (paymentMethod) params.payment_method = paymentMethod;
        return request(key, 'POST', path + '/confirm', params);
      }
      function afterAnswer(answer) {
        if (answer.error || answer.body.status !== 'requires_action') return answer;
        return authenticate().then(function (completed) {
          return request(key, 'POST', '/_standin/payment_intents/' + encodeURIComponent(id) + '/authenticate', {
            client_secret: clientSecret,
            outcome: completed ? 'complete' : 'fail',
          }).then(function (reported) {
            if (reported.error || reported.body.status !== 'requires_confirmation') return reported;
            return confirmNow();
          });
        });
      }
      var first = confirmFirst
        ? request(key, 'GET', path, { client_secret: clientSecret }).then(function (answer) {
            if (answer.error) return answer;
            var status = answer.body.status;
            if (status === 'requires_action' || status === 'succeeded' || status === 'processing' || status === 'canceled') return answer;
            return confirmNow();
          })
        : request(key, 'GET', path, { client_secret: clientSecret });
      return first
        .then(afterAnswer)
        .then(function (answer) {
          return answer.error ? { error: answer.error } : paymentIntentResult(answer.body);
        })
        .catch(function () {
          return { error: connectionError() };
        });
    }

    this.confirmCardPayment = function (clientSecret, data) {
      var pm = data && data.payment_method;
      var chosen = typeof pm === 'string' ? pm : pm && pm.card && typeof pm.card._selected === 'function' ? pm.card._selected() : null;
      return settlePayment(clientSecret, chosen, true);
    };

    this.handleNextAction = function (args) {
      return settlePayment(args && args.clientSecret, null, false);
    };

    this.handleCardAction = function (clientSecret) {
      return settlePayment(clientSecret, null, false);
    };

    this.retrievePaymentIntent = function (clientSecret) {
      var id = intentIdFromSecret(clientSecret);
      if (!id) return Promise.resolve({ error: { type: 'invalid_request_error', code: 'invalid_client_secret', message: 'Invalid client secret.' } });
      return request(key, 'GET', '/v1/payment_intents/' + encodeURIComponent(id), { client_secret: clientSecret }).then(function (answer) {
        return answer.error ? { error: answer.error } : { paymentIntent: answer.body };
      });
    };

    this.retrieveSetupIntent = function (clientSecret) {
      var id = intentIdFromSecret(clientSecret);
      if (!id) return Promise.resolve({ error: { type: 'invalid_request_error', code: 'invalid_client_secret', message: 'Invalid client secret.' } });
      return request(key, 'GET', '/v1/setup_intents/' + encodeURIComponent(id), { client_secret: clientSecret }).then(function (answer) {
        return answer.error ? { error: answer.error } : { setupIntent: answer.body };
      });
    };
  }

  window.Stripe = Stripe;
})();
