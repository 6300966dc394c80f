/* Mötesläge: keys, full screen, pause and auto-advance for the slide deck of /moteslage.
 *
 * Dash loads every asset on every page, so everything here first looks for the deck's root
 * (#moteslage) and does nothing without it. The slide number lives in the address (`steg`); a
 * step changes it the way dcc.Link does (pushState plus Dash's `_dashprivate_pushstate` event),
 * so Dash's router renders the slide and back/forward work. No request leaves the machine. */
(function () {
  "use strict";

  var DECK_ID = "moteslage";
  var FROM_KEY = "moteslage-fran";
  var FOCUS_KEY = "moteslage-fokus";
  var paused = false;
  var timer = null;
  var shownKey = null;

  function deck() {
    return document.getElementById(DECK_ID);
  }

  function state(root) {
    return {
      step: parseInt(root.dataset.steg, 10) || 1,
      count: parseInt(root.dataset.antal, 10) || 1,
      auto: parseInt(root.dataset.auto, 10) || 0,
      title: root.dataset.rubrik || ""
    };
  }

  function isDeckUrl() {
    return window.location.pathname.replace(/\/$/, "") === "/moteslage" &&
      new URLSearchParams(window.location.search).has("vyer");
  }

  function navigate(href) {
    window.history.pushState({}, "", href);
    window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
  }

  // The address is ahead of the screen while a slide renders, so quick presses count from it.
  function currentStep(root) {
    var fromUrl = parseInt(new URLSearchParams(window.location.search).get("steg"), 10);
    return isDeckUrl() && fromUrl ? fromUrl : state(root).step;
  }

  function go(step) {
    var root = deck();
    if (!root) { return; }
    var s = state(root);
    var target = Math.min(Math.max(step, 1), s.count);
    if (target === Math.min(Math.max(currentStep(root), 1), s.count)) { return; }
    var params = new URLSearchParams(window.location.search);
    params.set("steg", String(target));
    // Keep the commas of `vyer` readable in the address.
    navigate(window.location.pathname + "?" + params.toString().replace(/%2C/gi, ","));
  }

  function leave() {
    var from = null;
    try { from = window.sessionStorage.getItem(FROM_KEY); } catch (e) { from = null; }
    if (document.fullscreenElement && document.exitFullscreen) { document.exitFullscreen(); }
    navigate(from || "/");
  }

  function toggleFullscreen() {
    if (document.fullscreenElement) {
      if (document.exitFullscreen) { document.exitFullscreen(); }
    } else if (document.documentElement.requestFullscreen) {
      document.documentElement.requestFullscreen().catch(function () {});
    }
  }

  function announcer() {
    var live = document.getElementById("moteslage-meddelande");
    if (!live) {
      // Outside Dash's tree, so it survives each slide's re-render and is heard every time.
      live = document.createElement("div");
      live.id = "moteslage-meddelande";
      live.className = "visually-hidden";
      live.setAttribute("aria-live", "polite");
      live.setAttribute("aria-atomic", "true");
      document.body.appendChild(live);
    }
    return live;
  }

  function setPaused(value) {
    paused = value;
    var root = deck();
    if (!root) { return; }
    var button = root.querySelector("[data-action='paus']");
    if (button) {
      button.textContent = paused ? "Fortsätt" : "Pausa";
      button.setAttribute("aria-pressed", paused ? "true" : "false");
    }
    announcer().textContent = paused ? "Automatisk visning pausad" : "Automatisk visning fortsätter";
    schedule();
  }

  function schedule() {
    if (timer) { window.clearTimeout(timer); timer = null; }
    var root = deck();
    if (!root || paused) { return; }
    var s = state(root);
    if (!s.auto || s.step >= s.count) { return; }
    timer = window.setTimeout(function () { go(s.step + 1); }, s.auto * 1000);
  }

  // After every render: remember where a reader came from, or bring a new slide to life.
  function sync() {
    var root = deck();
    document.documentElement.classList.toggle("moteslage-aktiv", Boolean(root));
    // Between a new address and its render the old page is still on screen: wait for it.
    if (Boolean(root) !== isDeckUrl()) { return; }
    if (!root) {
      restoreFocus();
      shownKey = null;
      if (timer) { window.clearTimeout(timer); timer = null; }
      var here = window.location.pathname + window.location.search;
      try { window.sessionStorage.setItem(FROM_KEY, here); } catch (e) { /* private mode */ }
      return;
    }
    var s = state(root);
    // React only to a newly rendered slide, not to the address running ahead of it.
    var key = [s.step, s.count, s.auto, root.dataset.vy].join("|");
    if (key === shownKey) { return; }
    shownKey = key;
    var button = root.querySelector("[data-action='paus']");
    if (button) {
      button.textContent = paused ? "Fortsätt" : "Pausa";
      button.setAttribute("aria-pressed", paused ? "true" : "false");
    }
    announcer().textContent = "Bild " + s.step + " av " + s.count + ": " + s.title;
    schedule();
  }

  var pending = false;
  new MutationObserver(function () {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () { pending = false; sync(); });
  }).observe(document.documentElement, { childList: true, subtree: true });

  // The composer's move links load the page anew; the same button of the moved view gets the
  // focus back, so a keyboard user can press it again.
  function restoreFocus() {
    var key = null;
    try { key = window.sessionStorage.getItem(FOCUS_KEY); } catch (e) { key = null; }
    if (!key) { return; }
    var list = document.querySelector(".chosen-list");
    if (!list) { return; }
    var target = document.querySelector("[data-plats='" + key.replace(/'/g, "") + "']");
    if (!target) {
      // At the top or bottom that button is gone: the view's other link takes the focus.
      var index = parseInt(key.split("-").pop(), 10);
      var item = list.children[index];
      target = item ? item.querySelector("a") : null;
    }
    try { window.sessionStorage.removeItem(FOCUS_KEY); } catch (e) { /* private mode */ }
    target.focus();
  }

  document.addEventListener("click", function (event) {
    var mover = event.target.closest ? event.target.closest("[data-fokus]") : null;
    if (mover) {
      try { window.sessionStorage.setItem(FOCUS_KEY, mover.dataset.fokus); } catch (e) { /* */ }
    }
    var root = deck();
    var target = event.target.closest ? event.target.closest("[data-action]") : null;
    if (!root || !target || !root.contains(target)) { return; }
    var action = target.dataset.action;
    if (action === "paus") { event.preventDefault(); setPaused(!paused); }
    else if (action === "helskarm") { event.preventDefault(); toggleFullscreen(); }
    else if (action === "avsluta") { event.preventDefault(); leave(); }
  });

  // Capture on window: the deck's keys work whatever component below might stop the event.
  window.addEventListener("keydown", function (event) {
    var root = deck();
    if (!root || event.altKey || event.ctrlKey || event.metaKey) { return; }
    var tag = event.target && event.target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") { return; }
    // Space and Enter on a focused button or link (or a table's <summary>) do what it says.
    var control = tag === "BUTTON" || tag === "A" || tag === "SUMMARY";
    var s = state(root);
    var step = Math.min(Math.max(currentStep(root), 1), s.count);
    var handled = true;
    switch (event.key) {
      case "ArrowRight":
      case "PageDown":
        go(step + 1); break;
      case " ":
      case "Spacebar":
        if (control) { handled = false; } else { go(step + 1); }
        break;
      case "ArrowLeft":
      case "PageUp":
        go(step - 1); break;
      case "Home":
        go(1); break;
      case "End":
        go(s.count); break;
      case "f":
      case "F":
        toggleFullscreen(); break;
      case "p":
      case "P":
        if (s.auto) { setPaused(!paused); } else { handled = false; }
        break;
      case "Escape":
      case "Esc":
        leave(); break;
      default:
        handled = false;
    }
    if (handled) { event.preventDefault(); }
  }, true);

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", sync);
  } else {
    sync();
  }
})();
