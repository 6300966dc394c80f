// dcc.Upload renders its <input type="file"> with no accessible name; the drop zone's
// data-label gives it one whenever React (re)creates the input.
(function () {
  function label() {
    document.querySelectorAll('[data-file-label] input[type=file]:not([aria-label])').forEach(function (input) {
      input.setAttribute('aria-label', input.closest('[data-file-label]').getAttribute('data-file-label'));
    });
  }
  new MutationObserver(label).observe(document.documentElement, { childList: true, subtree: true });
})();
