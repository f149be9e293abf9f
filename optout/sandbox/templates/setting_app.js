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

  const words = config.words;
  const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  function buildSwitch(setting, labelText) {
    // Nesting mirrors the real page: the label <p> sits three parents above the input.
    const row = el("div", "_settingRow_a81f2c");
    const label = el("p", "_settingLabel_a81f2c", labelText);
    label.id = freshId("ember");
    const control = el("div", "_control_a81f2c");
    const frame = el("div", "_switch_12ycew");
    const input = el("input", "_switchCheckbox_12ycew");
    input.type = "checkbox";
    input.setAttribute("role", "switch");
    input.id = freshId("switch-");
    input.setAttribute("aria-labelledby", label.id);
    const state = el("span", "_switchText_12ycew");
    state.setAttribute("aria-hidden", "true");
    const showState = () => {
      state.textContent = input.checked ? config.onWord : config.offWord;
    };
    // A slow hydration first draws the switch unchecked, then sets the real state.
    input.checked = config.hydrationDelayMs > 0 ? false : isOn(setting);
    if (config.hydrationDelayMs > 0) {
      setTimeout(() => { input.checked = isOn(setting); showState(); }, config.hydrationDelayMs);
    }
    showState();
    frame.append(input, el("span", "_switchTrack_12ycew"));
    control.append(frame, state);
    row.append(label, control);
    input.addEventListener("change", () => save(setting.key, input, showState));
    return row;
  }

  function buildRedesignedSwitch(setting) {
    // A later design: a custom toggle with aria-checked, no native input at all.
    const row = el("div", "_toggleRow_5d0e77");
    row.append(el("span", "_toggleText_5d0e77", "Let LinkedIn use what I share to build AI features"));
    const toggle = el("div", "_toggle_5d0e77");
    toggle.setAttribute("role", "switch");
    toggle.tabIndex = 0;
    const proxy = { checked: isOn(setting), disabled: false };
    const show = () => {
      toggle.setAttribute("aria-checked", String(proxy.checked));
      toggle.textContent = proxy.checked ? config.onWord : config.offWord;
    };
    show();
    toggle.addEventListener("click", () => {
      proxy.checked = !proxy.checked;
      save(setting.key, proxy, show);
    });
    row.append(toggle);
    return row;
  }

  async function save(key, input, showState) {
    const wanted = input.checked;
    showState();
    input.disabled = true;
    let status = 0;
    try {
      const response = await fetch(config.putBase + key, {
        method: "PUT",
        credentials: "same-origin",
        headers: { ...apiHeaders(), "Content-Type": "application/json" },
        body: JSON.stringify({ value: String(wanted) }),
      });
      status = response.status;
    } catch (error) {
      status = 0;
    }
    const ok = status >= 200 && status < 300;
    if (!ok) {
      await wait(500); // the real page shows the change, then takes it back
      input.checked = !wanted;
    }
    input.disabled = false;
    showState();
    if (status === 401) return signInAgain();
    if (ok) toast(words.saved, "success");
    else toast(words.notSaved, "error");
  }

  function render(card) {
    const page = el("div", "_settingPage_3f9a1b");
    const back = el("a", "_backLink_3f9a1b");
    back.href = config.backHref;
    back.innerHTML = config.backIcon;
    back.append(words.back);
    const box = el("section", "li-card _settingCard_3f9a1b");
    const title = config.redesigned ? "Generative AI data use" : config.title || card.header.title;
    box.append(el("h1", "_title_e2b6d4", title));
    box.append(el("h4", "_description_e2b6d4", card.header.description));
    const settings = card.settings || [];
    for (const row of config.rows) {
      const setting = settings.find((s) => s.key === row.key);
      if (!setting) continue;
      box.append(config.redesigned ? buildRedesignedSwitch(setting) : buildSwitch(setting, row.label));
    }
    if (!settings.find((s) => s.key === config.key)) {
      box.append(el("p", "_notice_e2b6d4", words.unavailable));
    }
    const more = el("p", "_learnMore_e2b6d4", words.knowMore);
    const link = el("a", "", words.learnMore);
    link.href = card.header.learnMoreUrl;
    more.append(link);
    box.append(more);
    page.append(back, box);
    main.replaceChildren(page);
    main.removeAttribute("aria-busy");
    document.title = title + " | Settings | LinkedIn";
  }

  function renderFailure() {
    const box = el("section", "li-card _settingCard_3f9a1b");
    box.append(el("h1", "_title_e2b6d4", "Something went wrong"));
    box.append(el("p", "_description_e2b6d4", "Reload the page to try again."));
    main.replaceChildren(box);
    main.removeAttribute("aria-busy");
  }

  async function load() {
    if (config.renderDelayMs > 0) await wait(config.renderDelayMs);
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
