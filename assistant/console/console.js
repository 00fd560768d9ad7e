// Agent console: queue, conversation, suggested replies, customer summary. Plain JS; all
// customer text is inserted with textContent (it is data, never markup).
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const state = { key: "", conv: null, customer: null };

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  function setStatus(text, isError) {
    const s = $("status");
    s.textContent = text;
    s.className = isError ? "note" : "";
  }

  async function api(method, path, body) {
    const opts = { method, headers: { "X-API-Key": state.key } };
    if (body !== undefined) {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
    const r = await fetch(path, opts);
    const data = await r.json().catch(() => ({}));
    if (!r.ok) {
      const message = data.error && data.error.message;
      throw new Error(r.status + ": " + (message || r.statusText));
    }
    return data;
  }

  async function loadQueue() {
    const filter = $("queue-filter").value;
    const data = await api("GET", "/v1/agent/queue?status=" + encodeURIComponent(filter));
    const list = $("queue");
    list.replaceChildren();
    if (!data.conversations.length) list.appendChild(el("li", "Queue is empty.", "muted"));
    for (const c of data.conversations) {
      const li = el("li");
      li.dataset.id = c.conversation_id;
      if (state.conv === c.conversation_id) li.classList.add("active");
      li.appendChild(el("strong", c.user_id || "anonymous"));
      li.appendChild(el("div", "Reason: " + c.reason));
      li.appendChild(el("div", c.summary, "muted"));
      li.appendChild(el("div", c.status + (c.assigned_agent ? " by " + c.assigned_agent : ""), "muted"));
      const open = el("button", c.status === "queued" ? "Claim" : "Open");
      open.className = "claim";
      open.addEventListener("click", () => openConversation(c.conversation_id, c.status === "queued"));
      li.appendChild(open);
      list.appendChild(li);
    }
    setStatus("Queue: " + data.count);
  }

  async function openConversation(id, claim) {
    try {
      if (claim) await api("POST", "/v1/agent/conversations/" + encodeURIComponent(id) + "/claim");
      state.conv = id;
      await renderConversation();
      await loadQueue();
    } catch (e) {
      setStatus(e.message, true);
    }
  }

  async function renderConversation() {
    const id = state.conv;
    const conv = await api("GET", "/v1/agent/conversations/" + encodeURIComponent(id));
    $("conv-title").textContent = "Conversation " + id.slice(0, 8);
    $("conv-meta").textContent = "Reason: " + (conv.reason || "-") + " · status " + conv.status;
    const list = $("messages");
    list.replaceChildren();
    for (const m of conv.messages) {
      list.appendChild(el("li", m.role + ": " + m.content, m.role));
    }
    $("send").disabled = $("close-conv").disabled = conv.status !== "claimed";
    await Promise.all([renderSuggestions(id), renderCustomer(conv.user_id)]);
  }

  async function renderSuggestions(id) {
    const list = $("suggestions");
    list.replaceChildren();
    try {
      const data = await api("GET", "/v1/agent/conversations/" + encodeURIComponent(id) + "/suggestions");
      if (!data.suggestions.length) list.appendChild(el("li", "No grounded suggestion.", "muted"));
      for (const s of data.suggestions) {
        const li = el("li");
        li.className = "suggestion";
        li.appendChild(el("div", s.text));
        const src = s.sources.map((x) => x.type + " " + x.id + (x.heading ? " (" + x.heading + ")" : ""));
        li.appendChild(el("div", "Sources: " + src.join("; "), "sources"));
        const use = el("button", "Use");
        use.className = "use";
        use.addEventListener("click", () => { $("draft").value = s.text; $("draft").focus(); });
        li.appendChild(use);
        list.appendChild(li);
      }
    } catch (e) {
      list.appendChild(el("li", e.message, "note"));
    }
  }

  async function renderCustomer(userId) {
    const box = $("customer");
    box.replaceChildren();
    if (!userId) { box.appendChild(el("p", "Anonymous shopper: authenticate them first.", "muted")); return; }
    try {
      const c = await api("GET", "/v1/agent/customers/" + encodeURIComponent(userId));
      const p = c.profile;
      box.appendChild(el("h3", p.name || p.user_id));
      box.appendChild(el("div", p.email));
      box.appendChild(el("div", "Payment: " + p.payment_methods.map((m) => m.id + (m.balance !== undefined ? " (balance " + m.balance + ")" : "")).join(", "), "muted"));
      box.appendChild(el("h4", "Orders (" + c.orders.count + ")"));
      const ol = el("ul");
      ol.id = "customer-orders";
      for (const o of c.orders.recent) ol.appendChild(el("li", o.order_id + " · " + o.status + " · " + o.total + " " + o.currency));
      box.appendChild(ol);
      fillActionForm(c);
      const b = c.behaviour;
      box.appendChild(el("h4", "Behaviour"));
      const counts = Object.entries(b.events_last_30_days).map(([k, v]) => k + " " + v).join(", ");
      box.appendChild(el("div", "Last 30 days: " + (counts || "no events")));
      const pred = b.predictor;
      for (const p of pred.purchase_intent || []) {
        const prob = p.probability === null ? "n/a" : p.probability;
        box.appendChild(el("div", "Purchase intent, product " + p.product_id + ": " + prob + (p.likely ? " (likely)" : "")));
      }
      if (pred.churn) box.appendChild(el("div", "Churn risk (no event in the next " + pred.churn.days + " days): " + pred.churn.probability));
      if (pred.note) box.appendChild(el("div", pred.note, "note"));
    } catch (e) {
      box.appendChild(el("p", e.message, "note"));
    }
  }

  async function send() {
    const text = $("draft").value.trim();
    if (!text || !state.conv) return;
    try {
      await api("POST", "/v1/agent/conversations/" + encodeURIComponent(state.conv) + "/reply", { text });
      $("draft").value = "";
      setStatus("Reply sent");
      await renderConversation();
    } catch (e) {
      setStatus(e.message, true);
    }
  }

  async function closeConv() {
    try {
      await api("POST", "/v1/agent/conversations/" + encodeURIComponent(state.conv) + "/close");
      setStatus("Closed");
      await renderConversation();
      await loadQueue();
    } catch (e) {
      setStatus(e.message, true);
    }
  }

  function fillActionForm(c) {
    state.customer = c.profile.user_id;
    const orders = $("action-order");
    orders.replaceChildren();
    for (const o of c.orders.recent) {
      const opt = el("option", o.order_id + " (" + o.status + ")");
      opt.value = o.order_id;
      orders.appendChild(opt);
    }
    const pay = $("action-payment");
    pay.replaceChildren(el("option", "payment method (return/exchange)"));
    pay.firstChild.value = "";
    for (const m of c.profile.payment_methods) {
      const opt = el("option", m.id);
      opt.value = m.id;
      pay.appendChild(opt);
    }
  }

  const ids = (text) => text.split(",").map((x) => x.trim()).filter(Boolean);

  async function propose(ev) {
    ev.preventDefault();
    const box = $("action-result");
    box.replaceChildren();
    const orderId = $("action-order").value;
    if (!orderId || !state.customer) return;
    const body = {
      action: $("action-kind").value,
      user_id: state.customer,
      item_ids: ids($("action-items").value),
      new_item_ids: ids($("action-new-items").value),
      conversation_id: state.conv,
    };
    if (body.action === "cancel") body.reason = $("action-reason").value;
    if ($("action-payment").value) body.payment_method_id = $("action-payment").value;
    try {
      const p = await api("POST", "/v1/agent/orders/" + encodeURIComponent(orderId.replace(/^#/, "")) + "/actions", body);
      box.appendChild(el("p", p.summary, "proposal"));
      const yes = el("button", "Confirm (customer said yes)");
      yes.id = "confirm-action";
      yes.addEventListener("click", async () => {
        try {
          const done = await api("POST", "/v1/agent/actions/confirm", { confirmation_token: p.confirmation_token });
          box.replaceChildren(el("p", "Done: order " + done.order.order_id + " is now " + done.order.status, "done"));
          await renderCustomer(state.customer);
        } catch (e) {
          box.replaceChildren(el("p", e.message, "note"));
        }
      });
      box.appendChild(yes);
    } catch (e) {
      box.appendChild(el("p", e.message, "note"));
    }
  }

  async function searchPolicy(ev) {
    ev.preventDefault();
    const q = $("policy-q").value.trim();
    const list = $("policy-results");
    list.replaceChildren();
    if (!q) return;
    try {
      const data = await api("GET", "/v1/agent/policy/search?q=" + encodeURIComponent(q));
      for (const p of data.passages) list.appendChild(el("li", p.heading + ": " + p.text));
    } catch (e) {
      list.appendChild(el("li", e.message, "note"));
    }
  }

  async function connect() {
    state.key = $("key").value.trim();
    try {
      await loadQueue();
    } catch (e) {
      setStatus(e.message, true);
    }
  }

  $("connect").addEventListener("click", connect);
  $("refresh").addEventListener("click", () => loadQueue().catch((e) => setStatus(e.message, true)));
  $("queue-filter").addEventListener("change", () => loadQueue().catch((e) => setStatus(e.message, true)));
  $("send").addEventListener("click", send);
  $("close-conv").addEventListener("click", closeConv);
  $("policy-form").addEventListener("submit", searchPolicy);
  $("action-form").addEventListener("submit", propose);
  const fromUrl = new URLSearchParams(location.search).get("key");
  if (fromUrl) { $("key").value = fromUrl; connect(); }
})();
