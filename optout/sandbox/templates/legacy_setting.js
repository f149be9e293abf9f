// The older settings page saves each change with a background form POST.
"use strict";
(() => {
  const input = document.querySelector("input.a11y-text[role=switch]");
  if (!input) return;
  const text = document.querySelector("._legacyText_91b2");
  const show = () => { text.textContent = input.checked ? "On" : "Off"; };
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
})();
