// The older settings page saves each change with a background form POST. Where the
// server left the switch to it (details.LEGACY_DRAWINGS), it first draws the switch from
// its template, or sets the placeholder the server drew, a moment after the page loads.
"use strict";
(() => {
  const data = document.querySelector("[data-legacy-on]");
  if (!data) return wire();
  setTimeout(() => {
    const template = data.parentElement.querySelector("template");
    if (template) template.replaceWith(template.content.cloneNode(true));
    const drawn = document.querySelector("input.a11y-text[role=switch]");
    if (drawn) drawn.checked = data.dataset.legacyOn === "true";
    wire();
  }, Number(data.dataset.afterMs) || 0);

  function wire() {
    const input = document.querySelector("input.a11y-text[role=switch]");
    if (!input) return;
    const text = document.querySelector("._legacyText_91b2");
    const show = () => { text.textContent = input.checked ? "On" : "Off"; };
    show();
    function csrfToken() {
      for (const part of document.cookie.split(";")) {
        const [name, ...rest] = part.trim().split("=");
        if (name === "JSESSIONID") return rest.join("=").replace(/^"|"$/g, "");
      }
      return "";
    }
    input.addEventListener("change", async () => {
      const wanted = input.checked;
      show();
      input.disabled = true;
      let status = 0;
      try {
        const body = new URLSearchParams({ csrfToken: csrfToken(), value: String(wanted) });
        const response = await fetch(location.pathname, {
          method: "POST", credentials: "same-origin", body,
        });
        status = response.status;
      } catch (error) {
        status = 0;
      }
      const ok = status >= 200 && status < 300;
      if (!ok) input.checked = !wanted;
      input.disabled = false;
      show();
      if (status === 401) {
        location.assign("/login?session_redirect=" + encodeURIComponent(location.pathname));
      }
    });
  }
})();
