// What LinkedIn's web app keeps in the browser once a member is signed in: keys that
// start with "voyager" (linkedin-facts.md: Brave tells "signed in" by one). The rest of
// their names and their values are not known; these stand for the app's caches. A
// browser that restored them from a saved session would first load a page of its own
// for the site's origin.
(() => {
  try {
    const now = Date.now();
    localStorage.setItem("voyager-web:member", JSON.stringify({ seenAt: now, path: location.pathname }));
    localStorage.setItem("voyager-web:lix", JSON.stringify({ fetchedAt: now, treatments: Array(40).fill("control") }));
    localStorage.setItem("voyager-web:nav-badges", JSON.stringify({ messaging: 0, notifications: 3 }));
  } catch (e) {
    // Storage refused (a private window, say): the page works without it.
  }
})();
