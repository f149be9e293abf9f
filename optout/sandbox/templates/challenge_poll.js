// Waits for the member to answer elsewhere (app notification, captcha frame), then continues.
(() => {
  const form = document.querySelector("form[data-poll-url]");
  if (!form) return;
  const expired = document.getElementById("app-challenge-expired");
  const waiting = document.getElementById("app-challenge-waiting");
  const showExpired = () => {
    if (expired) expired.classList.remove("hidden__imp");
    if (waiting) waiting.classList.add("hidden__imp");
  };
  if (expired && !expired.classList.contains("hidden__imp")) return;
  const poll = async () => {
    let status = "PENDING";
    try {
      const response = await fetch(form.dataset.pollUrl, { headers: { Accept: "application/json" } });
      status = (await response.json()).status;
    } catch (error) {
      status = "PENDING";  // a dropped poll is retried, as LinkedIn's page does
    }
    if (status === "SOLVED") {
      form.submit();
    } else if (status === "EXPIRED") {
      showExpired();
    } else {
      setTimeout(poll, 1000);
    }
  };
  setTimeout(poll, 1000);
})();
