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

  // A setting's value words: its own onValue/offValue (for a key that says no, maybe in
  // the key's own sense: its onValue then turns the switch off), else the page's
  // vocabulary, swapped for a key that says no to what its switch allows.
  const inverted = (setting) => (config.invertedKeys || []).includes(setting.key);
  const keySense = (setting) => inverted(setting) && config.declaredSense === 'key';
  const declaredOn = (setting) => (keySense(setting) ? setting.offValue : setting.onValue);
  const declaredOff = (setting) => (keySense(setting) ? setting.onValue : setting.offValue);
  const onValueOf = (setting) => declaredOn(setting) || (inverted(setting) ? config.offValue : config.onValue);
  const offValueOf = (setting) => declaredOff(setting) || (inverted(setting) ? config.onValue : config.offValue);

  function isOn(setting) {
    const chosen = (setting.settingDisplayValues || []).find((v) => v.selected);
    return Boolean(chosen) && chosen.value === onValueOf(setting);
  }

  const words = config.words;
  const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  // Framework ids look like "ember123" and change with every render.
  let nextEmber = 100 + Math.floor(Math.random() * 800);
  const emberId = () => "ember" + nextEmber++;

  function newInput(slot) {
    const input = el("input", "_switchCheckbox_12ycew");
    input.type = "checkbox";
    if (config.roleSwitch !== false) input.setAttribute("role", "switch");
    input.id = slot.switchId || freshId("switch-");
    input.setAttribute("aria-labelledby", slot.labelId);
    input.addEventListener("change", () => {
      if (slot.listening === false) return; // the page does not take clicks yet: lost
      slot.touched = true;
      if (slot.setting) save(slot.setting, input, slot.showState);
    });
    return input;
  }

  // The newer wording's Yes/No as two radios (setting_choice.js), saved as a switch is.
  const newChoice = (slot) => yesNoChoice(slot, config, { make: el, freshId }, (choice) => {
    if (slot.listening === false) return;
    slot.touched = true;
    if (slot.setting) save(slot.setting, choice, slot.showState);
  });

  const newControl = (slot) => (config.choice === "switch" ? newInput(slot) : newChoice(slot));

  // One switch row. `slot.setting` is the card answer's object once it is known.
  function buildSwitch(row) {
    // Nesting mirrors the real page: the label <p> sits three parents above the input.
    const node = el("div", "_settingRow_a81f2c");
    const slot = {
      key: row.key, labelId: row.labelId || emberId(), switchId: row.switchId, setting: null, node,
      label: row.label, showState: () => {},
    };
    const label = el("p", "_settingLabel_a81f2c", row.label);
    label.id = slot.labelId;
    if (config.choice !== "switch") {  // radios, labelled by the <p> or by their legend
      slot.input = newChoice(slot);
      if (config.choice === "radiogroup") node.append(label);
      node.append(slot.input.node);
      return slot;
    }
    const control = el("div", "_control_a81f2c");
    const frame = el("div", "_switch_12ycew");
    const state = el("span", "_switchText_12ycew");
    state.setAttribute("aria-hidden", "true");
    slot.showState = () => {
      state.textContent = slot.input.checked ? config.onWord : config.offWord;
    };
    slot.input = newInput(slot);
    slot.showState();
    frame.append(slot.input, el("span", "_switchTrack_12ycew"));
    control.append(frame, state);
    node.append(label, control);
    return slot;
  }

  // The real state arrives: set on the drawn input, or on a new node that replaces it.
  function hydrate(slot) {
    const on = isOn(slot.setting);
    if (config.replaceOnHydration) {
      const fresh = newControl(slot);
      // A switch already clicked keeps what the member made of it.
      fresh.checked = slot.touched ? slot.input.checked : on;
      slot.input.replaceWith(fresh);
      slot.input = fresh;
    } else {
      slot.input.checked = on;
    }
    slot.showState();
    listenLater(slot);
  }

  // The page's script takes clicks only config.listensAfterMs after it draws the state
  // (a late hydration): a click before is lost, and the page then draws what it knows.
  function listenLater(slot) {
    // Pages drawn without the details (listensAfterMs unset) take clicks at once.
    if (slot.listening !== undefined || !(config.listensAfterMs > 0)) return;
    slot.listening = false;
    setTimeout(() => {
      slot.listening = true;
      slot.input.checked = isOn(slot.setting);
      slot.showState();
    }, config.listensAfterMs);
  }

  function answerState(slot, setting, early) {
    slot.setting = setting;
    // A slow hydration leaves the switch unchecked, then sets the real state later.
    if (config.hydrationDelayMs > 0) return setTimeout(() => hydrate(slot), config.hydrationDelayMs);
    if (early || !config.replaceOnHydration) return hydrate(slot);
    // Drawn with its state, then swapped for a new node when the framework takes over.
    slot.input.checked = isOn(setting);
    slot.showState();
    return setTimeout(() => hydrate(slot), 300);
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
      save(setting, proxy, show);
    });
    row.append(toggle);
    return row;
  }

  async function save(setting, input, showState) {
    const wanted = input.checked;
    showState();
    input.disabled = true;
    let status = 0;
    const body = {
      value: wanted ? onValueOf(setting) : offValueOf(setting),
      settingDisplayType: setting.settingDisplayType,
      entityUrn: setting.entityUrn,
      key: setting.key,
      hasChild: Boolean(setting.hasChild),
    };
    try {
      const response = await fetch(config.putBase + setting.key, {
        method: "PUT",
        credentials: "same-origin",
        headers: { ...apiHeaders(), "Content-Type": "application/json" },
        body: JSON.stringify(body),
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

  // The card around the switches; the header is filled in once the answer has it.
  function drawPage() {
    const page = el("div", "_settingPage_3f9a1b");
    const back = el("a", "_backLink_3f9a1b");
    back.href = config.backHref;
    back.innerHTML = config.backIcon;
    back.append(words.back);
    const box = el("section", "li-card _settingCard_3f9a1b");
    const heading = el("h1", "_title_e2b6d4", config.redesigned ? "Generative AI data use" : config.title || "");
    const about = el("h4", "_description_e2b6d4", "");
    box.append(heading, about);
    page.append(back, box);
    main.replaceChildren(page);
    return { box, heading, about, slots: [] };
  }

  // Drawn before the answer: the rows the member has, unchecked until it arrives.
  function drawEarly() {
    const view = drawPage();
    for (const row of config.rows) {
      if (!row.offered) continue;
      const slot = buildSwitch(row);
      view.slots.push(slot);
      view.box.append(slot.node);
    }
    return view;
  }

  // A row whose setting the member lacks, on a page of several: its label, then the notice.
  function noticeRow(row) {
    const node = el("div", "_settingRow_a81f2c");
    const label = el("p", "_settingLabel_a81f2c", row.label);
    label.id = row.labelId || emberId();
    node.append(label, el("p", "_notice_e2b6d4", row.notice));
    return node;
  }

  // The rows in the config's order: switches drawn early stay where they are, the
  // others come after the last one placed.
  function placeRows(view, settings) {
    const early = new Map(view.slots.map((slot) => [slot.key, slot]));
    let last = null;
    const place = (node) => {
      if (last) last.after(node);
      else view.box.append(node);
      last = node;
    };
    for (const row of config.rows) {
      const setting = settings.find((s) => s.key === row.key);
      const slot = early.get(row.key);
      if (slot && setting) {
        answerState(slot, setting, true);
        last = slot.node;
      } else if (slot) {
        slot.node.remove();
      } else if (setting && config.redesigned) {
        place(buildRedesignedSwitch(setting));
      } else if (setting) {
        const fresh = buildSwitch(row);
        place(fresh.node);
        answerState(fresh, setting, false);
      }
      if (!setting && row.notice) place(noticeRow(row));
    }
  }

  // The switch of a setting the member lacks, where the page still draws it: disabled,
  // as an input is or by aria-disabled alone (its clicks then ignored).
  function drawLackingSwitch(view) {
    const row = config.rows.find((r) => r.key === config.key);
    if (!row || config.lackingSwitch === "none" || config.redesigned) return;
    const slot = buildSwitch({ ...row, labelId: config.lackingLabelId });
    slot.input.checked = config.lackingSwitch === "disabled_on";
    if (config.lackingMark === "aria") {
      slot.input.setAttribute("aria-disabled", "true");
      slot.input.addEventListener("click", (event) => event.preventDefault());
    } else {
      slot.input.disabled = true;
    }
    slot.showState();
    view.box.append(slot.node);
  }

  function finish(view, card) {
    const settings = card.settings || [];
    if (!config.redesigned && !config.title) view.heading.textContent = card.header.title;
    view.about.textContent = card.header.description;
    placeRows(view, settings);
    if (config.key && !settings.find((s) => s.key === config.key)) {
      view.box.append(el("p", "_notice_e2b6d4", config.lackingNotice));
      drawLackingSwitch(view);
    }
    drawDecoys(view);
    const more = el("p", "_learnMore_e2b6d4", words.knowMore);
    const link = el("a", "", words.learnMore);
    link.href = card.header.learnMoreUrl;
    more.append(link);
    view.box.append(more);
    main.removeAttribute("aria-busy");
    document.title = view.heading.textContent + " | Settings | LinkedIn";
  }

  // Checkboxes of the page's own (inferred interests): saved like a switch, but no setting.
  function buildDecoy(decoy) {
    const node = el("li", "_interestRow_6b2d90");
    const label = el("p", "_interestLabel_6b2d90", decoy.label);
    label.id = decoy.labelId || emberId();
    const input = el("input", "_interestCheckbox_6b2d90");
    input.type = "checkbox";
    if (config.decoyRoleSwitch) input.setAttribute("role", "switch");
    input.id = freshId("interest-");
    input.setAttribute("aria-labelledby", label.id);
    input.checked = isOn(decoy.setting);
    input.addEventListener("change", () => save(decoy.setting, input, () => {}));
    const box = el("div", "_interestControl_6b2d90");
    box.append(input);
    node.append(label, box);
    return node;
  }

  function drawDecoys(view) {
    const decoys = config.decoys || [];
    if (!decoys.length) return;
    const section = el("div", "_interests_6b2d90");
    section.append(el("h2", "_interestsTitle_6b2d90", words.interests));
    const list = el("ul", "_interestList_6b2d90");
    for (const decoy of decoys) list.append(buildDecoy(decoy));
    section.append(list);
    if (config.decoysFirst) view.about.after(section);
    else view.box.append(section);
  }

  function renderFailure() {
    const box = el("section", "li-card _settingCard_3f9a1b");
    box.append(el("h1", "_title_e2b6d4", "Something went wrong"));
    box.append(el("p", "_description_e2b6d4", "Reload the page to try again."));
    main.replaceChildren(box);
    main.removeAttribute("aria-busy");
  }

  function fetchCard(url) {
    return fetch(url, { credentials: "same-origin", cache: "no-store", headers: apiHeaders() });
  }

  // Other cards the page shows around its own: their answers are not this setting's.
  function requestOtherCards(urls) {
    for (const url of urls) fetchCard(url).catch(() => null);
  }

  async function load() {
    if (config.renderDelayMs > 0) await wait(config.renderDelayMs);
    const early = config.switchDrawn === "before_answer" && !config.redesigned;
    const view = early ? drawEarly() : null;
    const others = config.extraCardUrls || [];
    if (config.othersFirst && others.length && !config.inlineCard) {
      // The first other card is asked for and shown before the page asks for its own.
      await fetchCard(others[0]).then((r) => r.json()).catch(() => null);
      await wait(300);
    } else {
      requestOtherCards(others.slice(0, 1));
    }
    if (config.inlineCard) {
      // The state came inside the page: no request of its own.
      requestOtherCards(others.slice(1));
      if (config.drawDelayMs > 0) await wait(config.drawDelayMs);
      return finish(view || drawPage(), config.inlineCard);
    }
    // The page may take its time before it asks for its own card, its switch (if drawn
    // early) a placeholder meanwhile.
    if (config.askDelayMs > 0) await wait(config.askDelayMs);
    try {
      const response = await fetchCard(config.cardUrl);
      requestOtherCards(others.slice(1));
      if (response.status === 401) return signInAgain();
      if (response.status === 404 && config.lackingNotFound) {
        // No such card for this member: the page says the setting is not available.
        if (config.drawDelayMs > 0) await wait(config.drawDelayMs);
        return finish(view || drawPage(), { header: config.lackingHeader, settings: [] });
      }
      if (!response.ok) return renderFailure();
      const card = await response.json();
      if (config.drawDelayMs > 0) await wait(config.drawDelayMs);
      return finish(view || drawPage(), card);
    } catch (error) {
      return renderFailure();
    }
  }

  // Some pages POST their own events (page views, render timings) as they draw: writes
  // that are not a save, sent whether or not the page took a click.
  function sendBeacons() {
    if (!(config.beaconsEveryMs > 0)) return;
    const post = () => fetch("/voyager/api/pageInstanceEvents", {
      method: "POST", credentials: "same-origin", keepalive: true,
      body: JSON.stringify({ event: "render", t: Math.round(performance.now()) }),
    }).catch(() => null);
    post();
    const timer = setInterval(post, config.beaconsEveryMs);
    setTimeout(() => clearInterval(timer), config.beaconsForMs);
  }

  sendBeacons();
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", load);
  } else {
    load();
  }
})();
