// The chosen kommun and strategigrupp stay chosen from page to page. They live in the address:
// the page's own path (/kommun/0680, /strategigrupp/aldre) or ?kommun=0680&strategigrupp=aldre.
// Every link to a follow-up page carries them: its href is rewritten here (so a copied link or a
// new tab carries them too), and since Dash's links navigate by their own href property, a
// click on one is taken over and navigates the way dcc.Link does. The menu's Kommuner and
// Strategigrupper go straight to the chosen one.
(function () {
  var KOMMUN = /^\/kommun\/(\d{4})\/?$/;
  var GRUPP = /^\/strategigrupp\/([a-z0-9-]+)\/?$/;
  var PAGES = /^\/(?:$|indikator\/|indikatorer$|strategi(?:\/|$)|strategigrupp(?:\/|$)|kommun(?:\/|$)|jamforelse$|sedan-forra-motet$|moteslage$)/;
  var VALID_KOMMUN = /^\d{4}$/;
  var VALID_GRUPP = /^[a-z0-9-]{1,60}$/;

  function chosen() {
    var params = new URLSearchParams(window.location.search);
    var out = { kommun: params.get('kommun'), strategigrupp: params.get('strategigrupp') };
    var k = window.location.pathname.match(KOMMUN);
    if (k) { out.kommun = k[1] === '0006' ? null : k[1]; }
    var g = window.location.pathname.match(GRUPP);
    if (g) { out.strategigrupp = g[1]; }
    if (out.kommun && !VALID_KOMMUN.test(out.kommun)) { out.kommun = null; }
    if (out.strategigrupp && !VALID_GRUPP.test(out.strategigrupp)) { out.strategigrupp = null; }
    return out;
  }

  function carried(href) {
    if (!href || href.charAt(0) !== '/' || href.charAt(1) === '/') { return null; }
    var url = new URL(href, window.location.origin);
    if (!PAGES.test(url.pathname)) { return null; }
    var sel = chosen();
    if (url.pathname.replace(/\/$/, '') === '/kommun' && sel.kommun) {
      url.pathname = '/kommun/' + sel.kommun;
    }
    if (url.pathname.replace(/\/$/, '') === '/strategigrupp' && sel.strategigrupp) {
      url.pathname = '/strategigrupp/' + sel.strategigrupp;
    }
    // A link that itself chooses (a kommun's or a group's own page) keeps its own choice.
    if (sel.kommun && !KOMMUN.test(url.pathname) && !url.searchParams.has('kommun')) {
      url.searchParams.set('kommun', sel.kommun);
    }
    if (sel.strategigrupp && !GRUPP.test(url.pathname) && !url.searchParams.has('strategigrupp')) {
      url.searchParams.set('strategigrupp', sel.strategigrupp);
    }
    return url.pathname + url.search + url.hash;
  }

  function rewrite() {
    document.querySelectorAll('a[href]').forEach(function (a) {
      var href = a.getAttribute('href');
      // Dash may have given the link a new href since it was last rewritten: that is its base.
      if (a.getAttribute('data-carried') !== href) { a.setAttribute('data-base-href', href); }
      var wanted = carried(a.getAttribute('data-base-href'));
      if (wanted && wanted !== href) { a.setAttribute('href', wanted); }
      a.setAttribute('data-carried', a.getAttribute('href'));
    });
  }

  var pending = false;
  function schedule() {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () { pending = false; rewrite(); });
  }

  document.addEventListener('click', function (event) {
    if (event.defaultPrevented || event.button !== 0) { return; }
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) { return; }
    var a = event.target.closest ? event.target.closest('a[href]') : null;
    if (!a || (a.target && a.target !== '_self') || a.hasAttribute('download')) { return; }
    var base = a.getAttribute('data-base-href') || a.getAttribute('href');
    var wanted = carried(base);
    if (!wanted || wanted === base) { return; }
    event.preventDefault();
    event.stopPropagation();
    window.history.pushState({}, '', wanted);
    window.dispatchEvent(new CustomEvent('_dashprivate_pushstate'));
    window.scrollTo(0, 0);
  }, true);

  window.addEventListener('popstate', schedule);
  window.addEventListener('_dashprivate_pushstate', schedule);
  function start() {
    new MutationObserver(schedule).observe(document.body, {
      childList: true, subtree: true, attributes: true, attributeFilter: ['href'],
    });
    schedule();
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
