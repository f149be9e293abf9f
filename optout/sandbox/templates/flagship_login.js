// The newer single-page sign-in: the form is drawn after load with generated ids (as
// React's useId gives), and submitted with fetch instead of a form post.
(() => {
  const config = JSON.parse(document.getElementById("login-config").textContent);
  const root = document.getElementById("app-root");
  const uid = () => {
    const bytes = new Uint8Array(3);
    crypto.getRandomValues(bytes);
    return ":r" + Array.from(bytes, (b) => b.toString(36)).join("") + ":";
  };
  const el = (tag, props = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(props)) node.setAttribute(name, value);
    node.append(...children);
    return node;
  };
  const field = (label, attrs) => {
    const id = uid();
    return el("div", { class: "flagship-field" }, el("label", { for: id }, label), el("input", { id, ...attrs }));
  };

  const render = () => {
    const email = field("Email or phone", {
      type: "email", autocomplete: "username webauthn", required: "", autofocus: "",
    });
    const password = field("Password", { type: "password", autocomplete: "current-password", required: "" });
    const alert = el("div", { class: "flagship-error", role: "alert", "aria-live": "assertive" });
    alert.hidden = true;
    const submit = el("button", { class: "flagship-submit", type: "submit" }, "Sign in");
    const form = el(
      "form", { class: "flagship-login-form", novalidate: "" },
      el("h1", {}, "Sign in"),
      el("p", { class: "flagship-card__sub" }, "Stay updated on your professional world"),
      email, password, alert, submit,
      el("p", { class: "join-now" }, "New to LinkedIn?", el("a", { href: "/signup" }, "Join now")),
    );
    const showError = (message) => {
      alert.textContent = message;
      alert.hidden = false;
    };
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      alert.hidden = true;
      submit.disabled = true;
      let response;
      try {
        response = await fetch(config.submitUrl, {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "application/json" },
          body: JSON.stringify({
            email: email.querySelector("input").value,
            password: password.querySelector("input").value,
            sessionRedirect: config.sessionRedirect,
          }),
        });
      } catch (error) {
        submit.disabled = false;
        showError("Something went wrong. Please try again.");
        return;
      }
      if (response.status === 999) {
        // LinkedIn's bot block answers with its own page; show it as the browser would.
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
        answer = { message: "Something went wrong. Please try again." };
      }
      if (answer.redirect) {
        window.location.assign(answer.redirect);
        return;
      }
      submit.disabled = false;
      showError(answer.message || "Something went wrong. Please try again.");
    });
    root.replaceChildren(form);
    root.removeAttribute("aria-busy");
    email.querySelector("input").focus();
  };
  setTimeout(render, config.renderDelayMs);
})();
