// The audit's probe, run in every document before the page's own scripts
// (Page.addScriptToEvaluateOnNewDocument). It records which script writes each cookie
// (document.cookie, cookieStore.set) and storage key (setItem), by the first http(s) URL on the
// caller's stack, and reports it through the DevTools binding named BINDING. It changes nothing the
// page can observe but the identity of the wrapped functions: every write goes through unchanged,
// and a failure of the probe never reaches the page.
(function (binding) {
  "use strict";
  var send = self[binding];
  if (typeof send !== "function") {
    return;
  }
  try {
    delete self[binding];
  } catch (e) {}

  // callerURL is the URL of the first frame of the stack with an http(s) URL: the probe's own
  // frames have none (it is an anonymous script).
  function callerURL() {
    var lines = String(new Error().stack || "").split("\n");
    for (var i = 1; i < lines.length; i++) {
      var m = /(https?:\/\/[^\s()]+?)(?::\d+){1,2}\)?\s*$/.exec(lines[i]);
      if (m) {
        return m[1];
      }
    }
    return "";
  }

  function record(kind, name) {
    try {
      send(JSON.stringify({kind: kind, name: String(name), source: callerURL()}));
    } catch (e) {}
  }

  var cookie = Object.getOwnPropertyDescriptor(Document.prototype, "cookie");
  if (cookie && cookie.set && cookie.configurable) {
    Object.defineProperty(Document.prototype, "cookie", {
      configurable: true,
      enumerable: cookie.enumerable,
      get: function () {
        return cookie.get.call(this);
      },
      set: function (value) {
        cookie.set.call(this, value);
        var pair = String(value).split(";")[0];
        var eq = pair.indexOf("=");
        record("cookie", (eq < 0 ? "" : pair.slice(0, eq)).trim());
      },
    });
  }

  if (self.CookieStore && CookieStore.prototype.set) {
    var storeSet = CookieStore.prototype.set;
    CookieStore.prototype.set = function (a) {
      record("cookie", a && typeof a === "object" ? a.name : a);
      return storeSet.apply(this, arguments);
    };
  }

  if (self.Storage && Storage.prototype.setItem) {
    var setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function (key) {
      var r = setItem.apply(this, arguments);
      record("storage", key);
      return r;
    };
  }
})(BINDING);
