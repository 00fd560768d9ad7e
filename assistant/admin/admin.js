// Admin analytics: fetch the HTML report with the admin key (a header, never the URL sent to
// the server) and show it in a frame; the report's charts load /admin/analytics/plotly.min.js.
(function () {
  "use strict";
  const form = document.getElementById("query");
  const status = document.getElementById("status");
  const frame = document.getElementById("report");
  const fromUrl = new URLSearchParams(window.location.search);
  if (fromUrl.get("key")) form.key.value = fromUrl.get("key");

  async function show() {
    const params = new URLSearchParams();
    for (const name of ["from", "to", "segment", "experiment"]) {
      if (form[name].value) params.set(name, form[name].value);
    }
    status.textContent = "loading ...";
    status.className = "";
    const r = await fetch("/v1/admin/analytics/report?" + params.toString(), {
      headers: { "X-API-Key": form.key.value },
    });
    if (!r.ok) {
      const data = await r.json().catch(() => ({}));
      status.textContent = (data.error && data.error.message) || "HTTP " + r.status;
      status.className = "note";
      return;
    }
    frame.srcdoc = await r.text();
    status.textContent = "";
  }

  form.addEventListener("submit", (e) => { e.preventDefault(); show(); });
  if (form.key.value) show();
})();
