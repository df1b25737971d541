// The demo CRM's agent desk: the integrator's side of the browser SDK (issue 14). Plain browser
// JavaScript on purpose: it is what a CRM developer writes against `window.switchboard`.
(function () {
  'use strict';
  var sb = window.switchboard;
  var $ = function (id) {
    return document.getElementById(id);
  };
  var state = $('state');
  var toggle = $('toggle');
  var connect = $('connect');
  var dialButtons = Array.prototype.slice.call(document.querySelectorAll('button.dial'));

  function log(name, data) {
    var li = document.createElement('li');
    li.textContent = name + ' ' + JSON.stringify(data);
    li.setAttribute('data-event', name);
    $('events').appendChild(li);
  }

  function text(tag, value, cls) {
    var el = document.createElement(tag);
    el.textContent = value;
    if (cls) el.className = cls;
    return el;
  }

  // The screen pop: who is calling, from the CRM's own records.
  async function pop(e) {
    var box = $('pop');
    box.replaceChildren(text('p', 'Incoming call from ' + e.callerPhoneNumber, 'muted'));
    if (e.type !== 'phone' || e.protectedCaller) return;
    var res = await fetch('/api/lookup?phone=' + encodeURIComponent(e.callerPhoneNumber));
    var items = res.ok ? (await res.json()).items : [];
    var c = items[0];
    if (!c) {
      box.appendChild(text('p', 'Not a customer yet.'));
      return;
    }
    var h = text('h3', c.name);
    h.setAttribute('data-testid', 'pop-name');
    box.appendChild(h);
    box.appendChild(text('p', c.company || 'Private customer', 'muted'));
    var tags = document.createElement('p');
    c.tags.forEach(function (t) {
      tags.appendChild(text('span', t, 'tag'));
    });
    box.appendChild(tags);
    var dl = document.createElement('dl');
    [
      ['Level', c.level],
      ['Owner', c.owner],
      ['Last order', c.lastOrder ? c.lastOrder.id + ' · ' + c.lastOrder.summary : '—'],
      ['Notes', c.notes],
    ].forEach(function (row) {
      dl.appendChild(text('dt', row[0]));
      dl.appendChild(text('dd', row[1]));
    });
    box.appendChild(dl);
  }

  Object.keys(sb.events).forEach(function (name) {
    sb.on(name, function (data) {
      log(name, data);
    });
  });
  sb.on('callIn', pop);
  sb.on('statusChanged', function (s) {
    state.textContent = 'Agent: ' + s.status + (s.restReason ? ' (' + s.restReason + ')' : '');
  });
  sb.on('tokenExpired', function (e) {
    state.textContent = 'Signed out: ' + e.message;
    connect.disabled = false;
  });

  connect.addEventListener('click', async function () {
    connect.disabled = true;
    state.textContent = 'Opening the workbench…';
    try {
      // The CRM's server asks Switchboard for a one-time token with its API key.
      var res = await fetch('/api/sdk-login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ agent: $('agent').value }),
      });
      var body = await res.json();
      if (!res.ok) throw new Error(body.error ? body.error.message : 'HTTP ' + res.status);
      var wb = $('workbench');
      wb.hidden = false;
      sb.destroy();
      await sb.init({ sdkUrl: body.sdkUrl, token: body.token, container: wb });
      state.textContent = 'Workbench ready';
      toggle.disabled = false;
      dialButtons.forEach(function (b) {
        b.disabled = false;
      });
    } catch (err) {
      state.textContent = 'Could not open the workbench: ' + err.message;
      connect.disabled = false;
    }
  });

  toggle.addEventListener('click', function () {
    var shown = toggle.getAttribute('aria-expanded') === 'true';
    if (shown) sb.UI.hide();
    else sb.UI.show();
    toggle.setAttribute('aria-expanded', String(!shown));
    toggle.textContent = shown ? 'Show workbench' : 'Hide workbench';
  });

  // Click-to-dial: the CRM knows the number; the agent's phone rings first, then the customer's.
  dialButtons.forEach(function (b) {
    b.addEventListener('click', async function () {
      b.disabled = true;
      try {
        var r = await sb.Call.startOutboundCall({ phoneNumber: b.getAttribute('data-phone') });
        state.textContent = 'Calling ' + r.calleePhoneNumber;
      } catch (err) {
        state.textContent = 'Call failed: ' + err.message;
      } finally {
        b.disabled = false;
      }
    });
  });
})();
