/* The kiosk's behaviour: card capture, keypad, idle sign-out, polling, offline-safe submit.
   Every navigation the kiosk makes itself uses location.replace, so the browser history does
   not collect the previous person's pages. */
(function () {
  "use strict";
  var body = document.body;
  var signOutUrl = body.dataset.signOutUrl;

  function go(url) { window.location.replace(url); }

  // The card reader types the number fast and presses Enter; keep the hidden input focused.
  var card = document.getElementById("card-number");
  if (card) {
    var refocus = function () { if (document.activeElement !== card) { card.focus(); } };
    card.focus();
    document.addEventListener("click", function (event) {
      if (!event.target.closest("a, button, input, select, textarea")) { refocus(); }
    });
    window.setInterval(refocus, 1000);
  }

  // The on-screen keypad writes into the read-only PIN field.
  var pin = document.getElementById("pin-value");
  document.querySelectorAll(".key[data-key]").forEach(function (key) {
    key.addEventListener("click", function () {
      if (!pin) { return; }
      if (key.dataset.key === "clear") { pin.value = ""; }
      else if (pin.value.length < parseInt(pin.dataset.max || "6", 10)) { pin.value += key.dataset.key; }
    });
  });

  // Idle sign-out: a warning, then the sign-out, after the configured seconds without a touch.
  if (body.dataset.signedIn) {
    var idle = parseInt(body.dataset.idleSeconds, 10) * 1000;
    var warning = parseInt(body.dataset.warningSeconds, 10) * 1000;
    var dialog = document.getElementById("kiosk-idle");
    var count = document.getElementById("kiosk-idle-count");
    var last = Date.now();
    var touched = function () { last = Date.now(); dialog.hidden = true; };
    ["pointerdown", "keydown", "touchstart"].forEach(function (name) {
      document.addEventListener(name, touched, true);
    });
    document.getElementById("kiosk-idle-stay").addEventListener("click", touched);
    window.setInterval(function () {
      var quiet = Date.now() - last;
      if (quiet >= idle) { go(signOutUrl + "?reason=idle"); }
      else if (quiet >= idle - warning) {
        dialog.hidden = false;
        count.textContent = Math.ceil((idle - quiet) / 1000);
      }
    }, 250);
  }

  // Links inside the kiosk replace the current history entry as well.
  document.querySelectorAll("a[href^='/kiosk/']").forEach(function (link) {
    link.addEventListener("click", function (event) { event.preventDefault(); go(link.href); });
  });

  var offline = document.getElementById("kiosk-offline");
  if (offline) {
    document.getElementById("kiosk-offline-close").addEventListener("click", function () {
      offline.hidden = true;
    });
  }

  // The application form is sent with fetch: when the network is gone the person is told so
  // plainly, and the form (with the same idempotency key) can be sent again.
  var form = document.getElementById("kiosk-apply-form");
  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = new FormData(form);
      data.set("action", "submit");
      var button = document.getElementById("kiosk-submit");
      button.disabled = true;
      fetch(form.getAttribute("action") || window.location.pathname, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" }
      }).then(function (response) {
        return response.json().then(function (answer) {
          if (answer.ok) { go(answer.next); return; }
          var errors = document.getElementById("form-errors");
          errors.textContent = "";
          (answer.errors || []).forEach(function (text) {
            var p = document.createElement("p");
            p.className = "kiosk-message error";
            p.textContent = text;
            errors.appendChild(p);
          });
          button.disabled = false;
        });
      }).catch(function () {
        offline.hidden = false;
        button.disabled = false;
      });
    });
  }

  // QR sign-in: ask whether the phone has confirmed; a new code when this one runs out.
  var qr = document.getElementById("kiosk-qr");
  if (qr) {
    var started = Date.now();
    var valid = parseInt(qr.dataset.validSeconds, 10) * 1000;
    window.setInterval(function () {
      if (Date.now() - started > valid) { go(window.location.pathname); return; }
      fetch(qr.dataset.pollUrl, { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (answer) { if (answer.signed_in) { go(answer.next); } })
        .catch(function () { offline.hidden = false; });
    }, 1500);
  }

  // Printing: follow the job; when it has printed, the task is finished: sign out.
  var job = document.getElementById("print-job");
  if (job) {
    var finished = parseInt(job.dataset.finishedSeconds, 10) * 1000;
    if (job.dataset.state === "printed") {
      window.setTimeout(function () { go(signOutUrl); }, finished);
    } else if (job.dataset.state === "queued") {
      var poll = window.setInterval(function () {
        fetch(job.dataset.statusUrl, { credentials: "same-origin" })
          .then(function (response) { return response.json(); })
          .then(function (answer) {
            if (answer.state !== "queued") { window.clearInterval(poll); go(window.location.pathname); }
          })
          .catch(function () { offline.hidden = false; });
      }, 1000);
    }
  }

  // The hall display refreshes itself (a script, not <meta refresh>, which axe rightly flags
  // for pages people read; here the content is the point of the refresh).
  var display = document.getElementById("display-latest");
  if (display) {
    window.setTimeout(function () { go(window.location.pathname); },
                      parseInt(display.dataset.refreshSeconds, 10) * 1000);
  }

  // A ticket was taken: the task is finished, back to the start after a moment.
  var ticketDone = document.getElementById("ticket-done");
  if (ticketDone) {
    window.setTimeout(function () { go(ticketDone.href); },
                      parseInt(ticketDone.dataset.finishedSeconds, 10) * 1000);
  }
})();
