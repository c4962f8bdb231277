// idm passkey script (docs/design/018-webauthn.md). Each <form data-webauthn="get|create"
// data-options="URL"> gets its button shown when the browser supports WebAuthn. A click asks idm
// for the ceremony's options (a fresh challenge), runs navigator.credentials.get() or .create(),
// writes the PublicKeyCredential as JSON (binary members base64url) into the form's
// [data-webauthn-result] field and submits the form like any other login form (CSRF token
// included). Served as a static file so the pages keep CSP script-src 'self'.
(function () {
  'use strict';

  function fromB64u(s) {
    var b64 = s.replace(/-/g, '+').replace(/_/g, '/');
    while (b64.length % 4) b64 += '=';
    var bin = atob(b64);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out.buffer;
  }

  function toB64u(buf) {
    var bytes = new Uint8Array(buf);
    var bin = '';
    for (var i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
    return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function descriptors(list) {
    return (list || []).map(function (d) {
      return { type: d.type, id: fromB64u(d.id), transports: d.transports };
    });
  }

  function creationOptions(o) {
    o.challenge = fromB64u(o.challenge);
    o.user.id = fromB64u(o.user.id);
    o.excludeCredentials = descriptors(o.excludeCredentials);
    return o;
  }

  function requestOptions(o) {
    o.challenge = fromB64u(o.challenge);
    o.allowCredentials = descriptors(o.allowCredentials);
    return o;
  }

  function credentialJson(cred) {
    var r = cred.response;
    var out = {
      id: cred.id,
      rawId: toB64u(cred.rawId),
      type: cred.type,
      response: { clientDataJSON: toB64u(r.clientDataJSON) },
      clientExtensionResults: cred.getClientExtensionResults ? cred.getClientExtensionResults() : {}
    };
    if (r.attestationObject) {
      out.response.attestationObject = toB64u(r.attestationObject);
      out.response.transports = r.getTransports ? r.getTransports() : [];
    } else {
      out.response.authenticatorData = toB64u(r.authenticatorData);
      out.response.signature = toB64u(r.signature);
      if (r.userHandle) out.response.userHandle = toB64u(r.userHandle);
    }
    return JSON.stringify(out);
  }

  function start(form, button) {
    var failed = form.querySelector('[data-webauthn-error]');
    if (failed) failed.hidden = true;
    button.disabled = true;
    var body = new URLSearchParams();
    // The login's forms carry their flow; the account security page's form has none (its
    // ceremony is bound to the session, docs/design/023).
    if (form.elements.flow_id) body.set('flow_id', form.elements.flow_id.value);
    body.set('csrf_token', form.elements.csrf_token.value);
    var create = form.getAttribute('data-webauthn') === 'create';
    fetch(form.getAttribute('data-options'), {
      method: 'POST', body: body, credentials: 'same-origin', redirect: 'manual'
    }).then(function (res) {
      // A redirect means the session must sign in again: reloading the page starts that login.
      if (res.type === 'opaqueredirect') {
        window.location.reload();
        return new Promise(function () {});
      }
      if (!res.ok) throw new Error('options: HTTP ' + res.status);
      return res.json();
    }).then(function (o) {
      return create ? navigator.credentials.create({ publicKey: creationOptions(o) })
                    : navigator.credentials.get({ publicKey: requestOptions(o) });
    }).then(function (cred) {
      form.querySelector('[data-webauthn-result]').value = credentialJson(cred);
      form.submit();
    }).catch(function () {
      button.disabled = false;
      if (failed) failed.hidden = false;
    });
  }

  if (!window.PublicKeyCredential || !navigator.credentials) return;
  var forms = document.querySelectorAll('form[data-webauthn]');
  Array.prototype.forEach.call(forms, function (form) {
    var button = form.querySelector('[data-webauthn-start]');
    if (!button) return;
    button.hidden = false;
    button.addEventListener('click', function () { start(form, button); });
  });
})();
