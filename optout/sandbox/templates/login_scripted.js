// The sign-in pages drawn by script. "2026": no <form>, ids generated per render (as
// React's useId gives «r0»), a hidden second copy of the fields, localized
// <button type="button">s. "email-first": the password field shows only after
// "Continue". Both send the flagship page's JSON.
(() => {
  const config = JSON.parse(document.getElementById("login-config").textContent);
  const words = config.words;
  const root = document.getElementById("app-root");
  document.documentElement.lang = config.lang;
  let nextId = config.idStart;
  const uid = () => "\u00abr" + (nextId++).toString(32) + "\u00bb";
  const el = (tag, props = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(props)) node.setAttribute(name, value);
    node.append(...children);
    return node;
  };
  const onEnter = (input, action) => {
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") action();
    });
  };
  const showError = (alert, message) => {
    alert.textContent = message;
    alert.hidden = false;
  };

  const emailField = (type) => {
    const id = uid();
    const input = el("input", { id, type, autocomplete: "username", required: "" });
    return { input, node: el("div", { class: "flagship-field" }, el("label", { for: id }, words.email), input) };
  };
  const passwordField = () => {
    const id = uid();
    const input = el("input", { id, type: "password", autocomplete: "current-password", required: "" });
    const toggle = el("button", { type: "button", class: "password-toggle", "aria-controls": id }, words.show);
    toggle.addEventListener("click", () => {
      const shown = input.type === "text";
      input.type = shown ? "password" : "text";
      toggle.textContent = shown ? words.show : words.hide;
    });
    const wrap = el("div", { class: "password-wrap" }, input, toggle);
    return { input, node: el("div", { class: "flagship-field" }, el("label", { for: id }, words.password), wrap) };
  };
  const alertBox = () => {
    const alert = el("div", { class: "flagship-error", role: "alert", "aria-live": "assertive" });
    alert.hidden = true;
    return alert;
  };
  const button = (text, cls = "flagship-submit") => el("button", { type: "button", class: cls }, text);
  const forgot = () => el("a", { class: "forgot-password", href: "/checkpoint/rp/request-password-reset" }, words.forgot);
  const others = () => [
    button(words.google, "alt-signin"), button(words.apple, "alt-signin"),
    el("p", { class: "divider" }, words.or),
  ];
  const passkey = () => {
    const key = button(words.passkey, "alt-signin");
    key.addEventListener("click", () => key.setAttribute("aria-disabled", "true"));
    return key;
  };

  const send = async (email, password, alert, submit) => {
    alert.hidden = true;
    submit.disabled = true;
    let response;
    try {
      response = await fetch(config.submitUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ email, password, sessionRedirect: config.sessionRedirect }),
      });
    } catch (error) {
      submit.disabled = false;
      showError(alert, words.error);
      return;
    }
    if (response.status === 999) {
      const page = await response.text();
      document.open();
      document.write(page);
      document.close();
      return;
    }
    let answer = {};
    try {
      answer = await response.json();
    } catch (error) {
      answer = { message: words.error };
    }
    if (answer.redirect) {
      window.location.assign(answer.redirect);
      return;
    }
    submit.disabled = false;
    showError(alert, answer.message || words.error);
  };

  const hide = (node) => {
    if (config.hide_by === "attribute") node.hidden = true;
    else if (config.hide_by === "display") node.style.display = "none";
    else if (config.hide_by === "offscreen") node.style.cssText = "position: absolute; left: -9999px";
    else if (config.hide_by === "clipped") {
      node.style.cssText = "height: 0; overflow: hidden";
      node.setAttribute("aria-hidden", "true");
    }
    else node.style.cssText = "visibility: hidden; position: absolute; left: -9999px";
  };

  // One copy of the fields: LinkedIn's page carries two, and hides one. Either copy
  // sends what the shown one holds: only the copy a person sees can be filled in.
  const fieldsCopy = (shownCopy) => {
    const email = emailField("text");
    const password = passwordField();
    const alert = alertBox();
    const submit = button(words.sign_in);
    const go = () => {
      const from = shownCopy() || { email, password };
      send(from.email.input.value, from.password.input.value, alert, submit);
    };
    submit.addEventListener("click", go);
    if (config.enter_submits) onEnter(password.input, go);
    const node = el("div", { class: "login-copy" }, email.node, password.node, alert, forgot(), submit);
    return { node, email, password };
  };

  const draw2026 = () => {
    let shownCopy = null;
    const shown = fieldsCopy(() => shownCopy);
    const spare = fieldsCopy(() => shownCopy);
    shownCopy = shown;
    hide(spare.node);
    const copies = config.hidden_first ? [spare.node, shown.node] : [shown.node, spare.node];
    root.replaceChildren(el("h1", {}, words.sign_in), ...others(), ...copies, passkey(),
      el("p", { class: "join-now" }, words.join));
    shown.email.input.focus();
  };

  const drawEmailFirst = () => {
    const email = emailField("email");
    const password = passwordField();
    const alert = alertBox();
    const submit = button(words.sign_in);
    const step = el("div", { class: "password-step" }, password.node, forgot(), submit);
    step.hidden = true;
    const next = button(words.continue);
    const wait = el("p", { class: "flagship-card__sub", "aria-live": "polite" });
    const proceed = () => {
      if (!email.input.value.trim()) {
        showError(alert, words.empty_email);
        return;
      }
      alert.hidden = true;
      next.hidden = true;
      email.input.readOnly = true;
      wait.textContent = words.wait;
      if (config.passwordDelayMs === null) return; // a page that never asks for the password
      setTimeout(() => {
        wait.textContent = "";
        step.hidden = false;
        password.input.focus();
      }, config.passwordDelayMs);
    };
    next.addEventListener("click", proceed);
    if (config.enter_continues) onEnter(email.input, proceed);
    const go = () => send(email.input.value, password.input.value, alert, submit);
    submit.addEventListener("click", go);
    if (config.enter_submits) onEnter(password.input, go);
    root.replaceChildren(el("h1", {}, words.sign_in), ...others(), email.node, alert, next, wait,
      step, passkey(), el("p", { class: "join-now" }, words.join));
    email.input.focus();
  };

  setTimeout(() => {
    if (config.mode === "email-first") drawEmailFirst();
    else draw2026();
    root.removeAttribute("aria-busy");
  }, config.renderDelayMs);
})();
