// The setting page is a small single-page app, as on LinkedIn: the server sends a
// shell, this script reads the setting card from the API, draws the switch, and
// saves each change with a background PUT (there is no Save button).
"use strict";
(() => {
  const config = JSON.parse(document.getElementById("setting-config").textContent);
  const main = document.getElementById("main");
  const TOAST_MS = 5000;

  // LinkedIn's CSRF token is the JSESSIONID cookie value without its quotes.
  function csrfToken() {
    for (const part of document.cookie.split(";")) {
      const [name, ...rest] = part.trim().split("=");
      if (name === "JSESSIONID") return rest.join("=").replace(/^"|"$/g, "");
    }
    return "";
  }

  function apiHeaders() {
    return {
      "csrf-token": csrfToken(),
      "X-RestLi-Protocol-Version": "2.0.0",
      "Accept": "application/json",
    };
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Ids are generated per render, like a framework's; tools must not rely on them.
  function freshId(prefix) {
    return prefix + Math.random().toString(36).slice(2, 10);
  }

  function signInAgain() {
    location.assign("/login?session_redirect=" + encodeURIComponent(location.pathname));
  }

  function toast(message, kind) {
    let region = document.querySelector(".artdeco-toasts");
    if (!region) {
      region = el("section", "artdeco-toasts");
      region.setAttribute("aria-live", "polite");
      document.body.append(region);
    }
    const item = el("div", "artdeco-toast-item artdeco-toast-item--" + kind);
    item.setAttribute("role", "alert");
    item.dataset.testArtdecoToastItemType = kind;
    const dismiss = el("button", "artdeco-toast-item__dismiss", "\u00d7");
    dismiss.type = "button";
    dismiss.setAttribute("aria-label", "Dismiss");
    dismiss.addEventListener("click", () => item.remove());
    item.append(el("div", "artdeco-toast-item__message", message), dismiss);
    region.replaceChildren(item);
    setTimeout(() => item.remove(), TOAST_MS);
  }

  function isOn(setting) {
    const chosen = (setting.settingDisplayValues || []).find((v) => v.selected);
    return Boolean(chosen) && chosen.value === "true";
  }

  function buildSwitch(setting) {
    // Nesting mirrors the real page: the label <p> sits three parents above the input.
    const row = el("div", "_settingRow_a81f2c");
    const label = el("p", "_settingLabel_a81f2c", setting.title);
    label.id = freshId("ember");
    const control = el("div", "_control_a81f2c");
    const frame = el("div", "_switch_12ycew");
    const input = el("input", "_switchCheckbox_12ycew");
    input.type = "checkbox";
    input.setAttribute("role", "switch");
    input.id = freshId("switch-");
    input.setAttribute("aria-labelledby", label.id);
    input.checked = isOn(setting);
    const state = el("span", "_switchText_12ycew");
    state.setAttribute("aria-hidden", "true");
    const showState = () => { state.textContent = input.checked ? "On" : "Off"; };
    showState();
    frame.append(input, el("span", "_switchTrack_12ycew"));
    control.append(frame, state);
    row.append(label, control);
    input.addEventListener("change", () => save(input, showState));
    return row;
  }

  async function save(input, showState) {
    const wanted = input.checked;
    showState();
    input.disabled = true;
    let ok = false;
    try {
      const response = await fetch(config.putUrl, {
        method: "PUT",
        credentials: "same-origin",
        headers: { ...apiHeaders(), "Content-Type": "application/json" },
        body: JSON.stringify({ value: String(wanted) }),
      });
      ok = response.ok;
    } catch (error) {
      ok = false;
    }
    if (!ok) input.checked = !wanted;
    input.disabled = false;
    showState();
    if (ok) toast("Your setting has been updated", "success");
    else toast("Your setting couldn't be updated. Please try again.", "error");
  }

  function render(card) {
    const page = el("div", "_settingPage_3f9a1b");
    const back = el("a", "_backLink_3f9a1b");
    back.href = config.backHref;
    back.innerHTML = config.backIcon;
    back.append("Back");
    const box = el("section", "li-card _settingCard_3f9a1b");
    box.append(el("h1", "_title_e2b6d4", card.header.title));
    box.append(el("h4", "_description_e2b6d4", card.header.description));
    const setting = (card.settings || []).find((s) => s.key === config.key);
    if (setting) {
      box.append(buildSwitch(setting));
    } else {
      box.append(el("p", "_notice_e2b6d4", "This setting isn't available for your account."));
    }
    const more = el("p", "_learnMore_e2b6d4", "Want to know more? ");
    const link = el("a", "", "Learn more");
    link.href = card.header.learnMoreUrl;
    more.append(link);
    box.append(more);
    page.append(back, box);
    main.replaceChildren(page);
    main.removeAttribute("aria-busy");
    document.title = card.header.title + " | Settings | LinkedIn";
  }

  function renderFailure() {
    const box = el("section", "li-card _settingCard_3f9a1b");
    box.append(el("h1", "_title_e2b6d4", "Something went wrong"));
    box.append(el("p", "_description_e2b6d4", "Reload the page to try again."));
    main.replaceChildren(box);
    main.removeAttribute("aria-busy");
  }

  async function load() {
    try {
      const response = await fetch(config.cardUrl, {
        credentials: "same-origin",
        cache: "no-store",
        headers: apiHeaders(),
      });
      if (response.status === 401) return signInAgain();
      if (!response.ok) return renderFailure();
      return render(await response.json());
    } catch (error) {
      return renderFailure();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", load);
  } else {
    load();
  }
})();
