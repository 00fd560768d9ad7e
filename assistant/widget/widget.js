/* shopassist chat widget: plain JS, talks to POST /v1/chat over Server-Sent Events. */
(function () {
  "use strict";
  var script = document.currentScript;
  var params = new URLSearchParams(window.location.search);
  var apiKey = (script && script.dataset.apiKey) || params.get("key") || "";
  var base = (script && script.dataset.endpoint) || "";
  var root = document.getElementById("shopassist");
  if (!root) { root = document.createElement("div"); root.id = "shopassist"; root.className = "sa-root"; document.body.appendChild(root); }
  var convKey = "shopassist.conversation";
  var conversationId = sessionStorage.getItem(convKey) || null;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  var log = el("div", "sa-log");
  var form = el("form", "sa-form");
  var input = el("input");
  input.name = "message"; input.placeholder = "Ask about products or your orders"; input.autocomplete = "off";
  input.maxLength = 2000;
  var send = el("button", "", "Send"); send.type = "submit";
  form.appendChild(input); form.appendChild(send);
  var head = el("div", "sa-head");
  var badge = el("span", "sa-cart", "Cart ");
  var count = el("span", "sa-cart-count", "0");
  badge.appendChild(count); badge.title = "Items in your cart";
  var notice = el("div", "sa-notice");
  head.appendChild(badge);
  // "For you" (data-for-you="N", or ?for_you=N): N recommendations above the chat, also for a
  // signed-out guest (from this browsing session's clicks; popular items before any).
  var forYouK = Number((script && script.dataset.forYou) || params.get("for_you") || 0);
  var forYou = el("div", "sa-foryou");
  forYou.appendChild(el("div", "sa-foryou-title", "For you"));
  var forYouCards = el("div", "sa-cards");
  forYou.appendChild(forYouCards);
  forYou.hidden = true;
  root.appendChild(head); root.appendChild(forYou); root.appendChild(log); root.appendChild(notice); root.appendChild(form);

  function scroll() { log.scrollTop = log.scrollHeight; }
  // On a store page: data-site-key (the store's public site key) and data-token-url (the
  // store's own endpoint answering {"token", "expires_at"} for its signed-in shopper, 401 for
  // a guest). A guest gets an anonymous session; after sign-in it is claimed by the shopper.
  var siteKey = (script && script.dataset.siteKey) || "";
  var tokenUrl = (script && script.dataset.tokenUrl) || "";
  var sessionKey = "shopassist.session", auth = { token: "", exp: 0 }, creds = {};
  function shopperToken() {
    if (!tokenUrl) return Promise.resolve("");
    if (auth.token && auth.exp - 30 > Date.now() / 1000) return Promise.resolve(auth.token);
    return fetch(tokenUrl, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : {}; })
      .then(function (j) { auth = { token: j.token || "", exp: j.expires_at || 0 }; return auth.token; })
      .catch(function () { return ""; });
  }
  function siteCall(path, body, extra) {
    return fetch(base + path, { method: "POST", headers: Object.assign({ "Content-Type": "application/json", "X-API-Key": siteKey }, extra || {}), body: JSON.stringify(body || {}) });
  }
  var authorizing = null;  // one authorization at a time: two would claim one session twice
  function authorize() {  // fills creds with the headers that identify this shopper
    if (!siteKey) { creds = { "X-API-Key": apiKey }; return Promise.resolve(); }
    if (!authorizing) {
      authorizing = authorizeOnce().then(function () { authorizing = null; }, function (e) { authorizing = null; throw e; });
    }
    return authorizing;
  }
  function authorizeOnce() {
    return shopperToken().then(function (token) {
      var sid = localStorage.getItem(sessionKey);
      if (token) {
        creds = { "X-API-Key": siteKey, "X-Shopper-Token": token };
        if (!sid) return;
        localStorage.removeItem(sessionKey);  // signed in: the guest's chat becomes the shopper's
        return siteCall("/v1/sessions/claim", { session_id: sid }, { "X-Shopper-Token": token }).catch(function () {});
      }
      if (sid) { creds = { "X-API-Key": siteKey, "X-Shopper-Session": sid }; return; }
      return siteCall("/v1/sessions").then(function (r) { return r.json(); }).then(function (j) {
        localStorage.setItem(sessionKey, j.session_id);
        creds = { "X-API-Key": siteKey, "X-Shopper-Session": j.session_id };
      });
    });
  }
  function headers(extra) { return Object.assign({ "Content-Type": "application/json", "Accept": "text/event-stream" }, creds, extra || {}); }
  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "sa-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }

  // The cart badge counts units in the shopper's cart (GET /v1/cart, and every cart reply).
  function showCart(cart) {
    if (!cart) return;
    count.textContent = String(cart.count || 0);
    root.dataset.cartCount = String(cart.count || 0);
  }
  function loadCart() {
    return authorize().then(function () { return fetch(base + "/v1/cart", { headers: headers() }); })
      .then(function (r) { return r.ok ? r.json() : null; }).then(showCart).catch(function () {});
  }
  function say(text, cls) { notice.textContent = text; notice.className = "sa-notice" + (cls ? " " + cls : ""); }

  // "Add to cart" on a product card. First the widget fires a cancelable DOM CustomEvent
  // `shopassist:add-to-cart` on document (detail: product_id, quantity, price, currency, title)
  // and, inside an iframe, posts the same {type: "shopassist:add-to-cart", ...detail} to the
  // parent page: a host store that calls event.preventDefault() (or answers the message) takes
  // the add over with its own cart. Otherwise the widget adds it to the shopassist cart
  // (POST /v1/cart/items with an Idempotency-Key, so a retried request adds it once). Either way
  // a `cart` behaviour event goes to POST /v1/events.
  function addToCart(p, button) {
    var detail = { product_id: p.product_id, quantity: 1, price: p.price, currency: p.currency, title: p.title };
    var event = new CustomEvent("shopassist:add-to-cart", { detail: detail, bubbles: true, cancelable: true });
    var ours = document.dispatchEvent(event);
    if (window.parent && window.parent !== window) {
      var message = { type: "shopassist:add-to-cart" };
      Object.keys(detail).forEach(function (k) { message[k] = detail[k]; });
      window.parent.postMessage(message, "*");
    }
    var key = newId();
    return authorize().then(function () { return addAndRecord(p, button, key, ours); });
  }
  // Behaviour events (POST /v1/events, in the background): the assistant's exposure
  // (widget_shown, widget_open, chat_message, card_click) and cart adds, for the engagement
  // report's funnel and the assistant's share of visits and revenue.
  // Events carry this tab's browsing session (sessionStorage): a guest's "for you" ranks from it.
  var visitKey = "shopassist.visit";
  var visitId = sessionStorage.getItem(visitKey) || newId();
  sessionStorage.setItem(visitKey, visitId);
  function track(type, productId, key, extra) {
    var ev = Object.assign({ client_event_id: key || newId(), type: type, session_id: visitId }, extra || {});
    if (productId) ev.product_id = productId;
    fetch(base + "/v1/events", { method: "POST", headers: headers(), body: JSON.stringify({ events: [ev] }) })
      .then(function () { if (productId) loadForYou(); })  // a click moves the next ones at once
      .catch(function () {});
  }
  // GET /v1/recommendations: a signed-in shopper's own; a guest's from this visit's events. The
  // panel stays hidden when there is nothing to show (e.g. no recommender yet: 503).
  var forYouSeq = 0;
  function loadForYou() {
    if (!forYouK) return Promise.resolve();
    var seq = ++forYouSeq;  // an older answer arriving late never replaces a newer one
    return authorize().then(function () {
      var q = "?k=" + forYouK + (creds["X-Shopper-Session"] ? "&session=" + encodeURIComponent(visitId) : "");
      return fetch(base + "/v1/recommendations" + q, { headers: headers() });
    }).then(function (r) { return r.ok ? r.json() : null; }).then(function (recs) {
      if (seq !== forYouSeq) return;
      var items = (recs && recs.items) || [];
      forYouCards.textContent = "";
      items.forEach(function (p) {
        var c = card(p, "sa-rec");
        c.firstChild.addEventListener("click", function () { track("click", p.product_id); });
        forYouCards.appendChild(c);
      });
      forYou.hidden = !items.length;
      forYou.dataset.strategy = (recs && recs.strategy) || "";
    }).catch(function () {});
  }
  function addAndRecord(p, button, key, ours) {
    track("card_click", p.product_id);
    track("cart", p.product_id, key);
    if (!ours) { say("Added to your cart: " + p.title); return Promise.resolve(); }
    button.disabled = true;
    var body = { product_id: p.product_id, quantity: 1 };
    if (p.price !== null && p.price !== undefined) body.shown_price = p.price;
    return fetch(base + "/v1/cart/items", { method: "POST", headers: headers({ "Idempotency-Key": key }), body: JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, body: j }; }); })
      .then(function (res) {
        button.disabled = false;
        if (!res.ok) { say((res.body.error && res.body.error.message) || "Could not add it to the cart", "sa-error"); return; }
        showCart(res.body.cart);
        button.textContent = "Added \u2713"; button.classList.add("sa-added");
        var change = res.body.price_change;
        if (change) say("The price of " + change.title + " has changed since it was shown: it is now " + money(change) + " (was " + money({ price: change.shown_price, currency: change.currency }) + ").");
        else say("Added to your cart: " + p.title);
      })
      .catch(function () { button.disabled = false; say("Network error; please try again.", "sa-error"); });
  }

  function money(p) {
    if (p.price === null || p.price === undefined) return "";
    var amount = Number(p.price).toLocaleString(undefined, { maximumFractionDigits: 2 });
    return (p.currency === "INR" || !p.currency) ? "\u20b9" + amount : amount + " " + p.currency;
  }

  function card(p, cls) {
    var c = el("div", cls || "sa-card");
    c.dataset.productId = p.product_id;
    c.appendChild(el("div", "sa-card-title", p.title));
    if (p.brand) c.appendChild(el("div", "sa-brand", p.brand));
    c.appendChild(el("div", "sa-price", money(p)));
    if (p.rating !== null && p.rating !== undefined) c.appendChild(el("div", "sa-rating", "\u2605 " + Number(p.rating).toFixed(1)));
    if (p.in_stock === false) c.appendChild(el("div", "sa-status", "out of stock"));
    var add = el("button", "sa-add", "Add to cart");
    add.type = "button"; add.dataset.productId = p.product_id;
    if (p.in_stock === false) add.disabled = true;
    add.addEventListener("click", function () { addToCart(p, add); });
    c.appendChild(add);
    return c;
  }

  // Citations ([id]) become product chips; a list line that only repeats a product card shown
  // below the answer is left out. While streaming (no cards yet) citations are hidden.
  var CITE = /\[([^\[\]\s]{1,64})\]/g;
  var LISTED = /^\s*(?:\d+\.|-)\s.*\[[^\[\]\s]{1,64}\]\s*$/;

  function chip(id, label, box) {
    var a = el("a", "sa-chip", label);
    a.href = "#"; a.dataset.productId = id;
    a.addEventListener("click", function (e) {
      e.preventDefault();
      authorize().then(function () { track("card_click", id); });
      var c = box.querySelector('.sa-card[data-product-id="' + id.replace(/"/g, "") + '"]');
      if (c) { c.scrollIntoView({ block: "nearest" }); c.classList.add("sa-flash"); setTimeout(function () { c.classList.remove("sa-flash"); }, 1200); }
    });
    return a;
  }

  function renderAnswer(ui, text, products) {
    var node = ui.text, byId = {}, streaming = !products;
    (products || []).forEach(function (p) { byId[p.product_id] = p; });
    var shown = function (id) { return streaming || byId.hasOwnProperty(id); };
    var lines = String(text || "").split("\n").filter(function (line) {
      if (!LISTED.test(line)) return true;
      var ids = []; line.replace(CITE, function (_, id) { ids.push(id); return ""; });
      return !ids.every(shown);  // its products are on cards: the line would repeat them
    });
    node.textContent = "";
    lines.forEach(function (line, i) {
      if (i) node.appendChild(document.createTextNode("\n"));
      if (streaming) line = line.replace(CITE, "").replace(/\[[^\]]*$/, "");
      var pos = 0, m;
      CITE.lastIndex = 0;
      while ((m = CITE.exec(line))) {
        var before = line.slice(pos, m.index), p = byId[m[1]], at = -1;
        if (p && p.title) at = before.toLowerCase().lastIndexOf(String(p.title).toLowerCase());
        if (at >= 0) {  // the title just before the citation becomes the chip
          node.appendChild(document.createTextNode(before.slice(0, at)));
          node.appendChild(chip(m[1], before.slice(at, at + p.title.length), ui.box));
          node.appendChild(document.createTextNode(before.slice(at + p.title.length).replace(/\s+$/, "")));
        } else {
          node.appendChild(document.createTextNode(before));
          node.appendChild(chip(m[1], p ? p.title : m[1], ui.box));
        }
        pos = CITE.lastIndex;
      }
      node.appendChild(document.createTextNode(line.slice(pos)));
    });
  }

  function thumbs(messageId) {
    var box = el("div", "sa-thumbs");
    [[1, "\ud83d\udc4d", "Helpful"], [-1, "\ud83d\udc4e", "Not helpful"]].forEach(function (t) {
      var b = el("button", "", t[1]); b.type = "button"; b.title = t[2]; b.dataset.rating = t[0];
      b.addEventListener("click", function () {
        fetch(base + "/v1/feedback", { method: "POST", headers: headers(), body: JSON.stringify({ message_id: messageId, rating: t[0] }) })
          .then(function (r) { if (r.ok) { box.querySelectorAll("button").forEach(function (x) { x.disabled = true; x.classList.add("sa-done"); }); box.dataset.sent = String(t[0]); } });
      });
      box.appendChild(b);
    });
    return box;
  }

  function handle(kind, data, ui) {
    if (kind === "conversation") {
      conversationId = data.conversation_id; sessionStorage.setItem(convKey, conversationId);
    } else if (kind === "tool_call") {
      ui.status.textContent = "Looking up: " + data.name.replace(/_/g, " ") + "\u2026";
    } else if (kind === "token") {
      ui.raw += data.text; renderAnswer(ui, ui.raw, null); scroll();
    } else if (kind === "final") {
      ui.status.textContent = "";
      renderAnswer(ui, data.answer, data.cited_products || []);
      if (data.cited_products && data.cited_products.length) {
        var cards = el("div", "sa-cards");
        data.cited_products.forEach(function (p) { cards.appendChild(card(p)); });
        ui.box.appendChild(cards);
      }
      ui.box.appendChild(thumbs(data.message_id));
      ui.box.dataset.messageId = data.message_id;
      lastSeen = Math.max(lastSeen, data.message_id);
      if ((data.tool_calls || []).some(function (c) { return c.name === "handoff_to_human" && c.ok; })) startPolling();
      if ((data.tool_calls || []).some(function (c) { return /_cart(_item)?$/.test(c.name) && c.ok; })) loadCart();
      scroll();
    } else if (kind === "error") {
      ui.status.textContent = data.detail || "Something went wrong";
    }
  }

  // After a handoff, a person answers in the same conversation: poll for their messages.
  var lastSeen = 0, polling = null;
  function startPolling() {
    if (polling || !conversationId) return;
    polling = setInterval(function () {
      fetch(base + "/v1/conversations/" + encodeURIComponent(conversationId), { headers: headers() })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (conv) {
          if (!conv) return;
          conv.messages.forEach(function (m) {
            if (m.role === "agent" && m.message_id > lastSeen) {
              var box = el("div", "sa-msg sa-bot sa-agent", m.content);
              box.dataset.messageId = m.message_id;
              log.appendChild(box); scroll();
            }
            lastSeen = Math.max(lastSeen, m.message_id);
          });
          if (conv.status === "closed") { clearInterval(polling); polling = null; }
        });
    }, pollMs);
  }
  var pollMs = Number((script && script.dataset.pollMs) || params.get("poll_ms") || 4000);

  function parseBlocks(buffer, ui) {
    var parts = buffer.split("\n\n");
    var rest = parts.pop();
    parts.forEach(function (block) {
      var kind = "message", data = "";
      block.split("\n").forEach(function (line) {
        if (line.indexOf("event:") === 0) kind = line.slice(6).trim();
        else if (line.indexOf("data:") === 0) data += line.slice(5).trim();
      });
      if (data) { try { handle(kind, JSON.parse(data), ui); } catch (e) { /* a torn block */ } }
    });
    return rest;
  }

  function ask(text) {
    log.appendChild(el("div", "sa-msg sa-user", text));
    var box = el("div", "sa-msg sa-bot");
    var ui = { box: box, text: el("div", "sa-text"), status: el("div", "sa-status", "\u2026"), raw: "" };
    box.appendChild(ui.status); box.appendChild(ui.text); log.appendChild(box); scroll();
    var body = { message: text, stream: true };
    if (conversationId) body.conversation_id = conversationId;
    if (experiment && root.dataset.arm) body.experiment = experiment;  // the arm may set the planner
    return authorize().then(function () {
      track("chat_message");
      return fetch(base + "/v1/chat", { method: "POST", headers: headers(), body: JSON.stringify(body) });
    }).then(function (resp) {
      if (!resp.ok) {
        return resp.json().catch(function () { return {}; }).then(function (j) {
          ui.status.textContent = ""; ui.text.textContent = (j && j.error && j.error.message) ? String(j.error.message) : "Error " + resp.status;
          box.classList.add("sa-error");
        });
      }
      var reader = resp.body.getReader(), decoder = new TextDecoder(), buffer = "";
      function pump() {
        return reader.read().then(function (r) {
          if (r.done) { parseBlocks(buffer + "\n\n", ui); return; }
          buffer = parseBlocks(buffer + decoder.decode(r.value, { stream: true }), ui);
          return pump();
        });
      }
      return pump();
    }).catch(function () { ui.status.textContent = ""; ui.text.textContent = "Network error; please try again."; box.classList.add("sa-error"); });
  }

  // An A/B experiment on the assistant (data-experiment, or ?experiment=): the shopper's arm
  // comes from GET /v1/experiments/{name}/assignment (a stable hash of experiment and shopper),
  // its exposure is recorded, and an arm with the setting assistant_enabled=false hides the
  // widget (the control of "assistant on vs off").
  var experiment = (script && script.dataset.experiment) || params.get("experiment") || "";
  if (experiment) {
    authorize().then(function () {
      return fetch(base + "/v1/experiments/" + encodeURIComponent(experiment) + "/assignment", { headers: headers() });
    }).then(function (r) { return r.ok ? r.json() : null; }).then(function (a) {
      if (!a) return;
      root.dataset.arm = a.arm;
      if (a.settings && a.settings.assistant_enabled === "false") root.style.display = "none";
      track("exposure", null, null, { experiment: experiment });
    }).catch(function () {});
  }
  loadForYou();  // with the panel on, a new guest gets a session for it
  // The store's own pages tell the widget what the shopper looks at: a DOM CustomEvent
  // `shopassist:product` on document (detail: product_id, type view | click | fav, default
  // click) is recorded as this shopper's behaviour event, and "for you" follows it.
  document.addEventListener("shopassist:product", function (e) {
    var d = e.detail || {}, type = ["view", "click", "fav"].indexOf(d.type) >= 0 ? d.type : "click";
    if (d.product_id) authorize().then(function () { track(type, String(d.product_id)); });
  });
  if (!siteKey || localStorage.getItem(sessionKey)) {  // a new guest's cart is empty
    loadCart();
    authorize().then(function () { track("widget_shown"); });  // no guest session just for this
  }
  input.addEventListener("focus", function opened() {
    input.removeEventListener("focus", opened);
    authorize().then(function () { track("widget_open"); });
  });

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = ""; send.disabled = true;
    ask(text).then(function () { send.disabled = false; input.focus(); });
  });
})();
