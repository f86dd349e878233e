// The residents' form, enhanced (GOV.UK patterns). Without JavaScript every question shows, the
// server reads answers typed under an unchosen option, and the limit hint stays as it is.
(function () {
  var d = document;
  var each = function (selector, fn) { Array.prototype.forEach.call(d.querySelectorAll(selector), fn); };
  // A question revealed under an option shows only while that option is chosen; while hidden its
  // fields are disabled, so words typed there and then unchosen are not sent.
  function reveal(block) {
    var shown = d.getElementById(block.getAttribute('data-trigger')).checked;
    block.hidden = !shown;
    each('#' + block.id + ' input, #' + block.id + ' textarea', function (f) { f.disabled = !shown; });
  }
  each('.conditional', reveal);
  d.addEventListener('change', function (e) {
    if (e.target.type === 'radio' || e.target.type === 'checkbox') each('.conditional', reveal);
  });
  // Character count: the hint becomes a live count, and a screen reader hears it after a pause.
  var plural = window.Intl && Intl.PluralRules ? new Intl.PluralRules(d.documentElement.lang) : null;
  each('.count', function (hint) {
    var field = d.getElementById(hint.id.replace(/-count$/, '-input'));
    var live = d.createElement('div');
    live.className = 'visually-hidden';
    live.setAttribute('aria-live', 'polite');
    hint.parentNode.insertBefore(live, hint.nextSibling);
    var timer;
    function count() {
      var left = +hint.getAttribute('data-max') - Array.from(field.value.trim()).length;
      var n = Math.abs(left);
      var kind = 'data-' + (left < 0 ? 'over-' : 'left-');
      var form = plural ? plural.select(n) : 'other';
      var text = (hint.getAttribute(kind + form) || hint.getAttribute(kind + 'other')).replace('{0}', n);
      hint.textContent = text;
      hint.className = left < 0 ? 'hint count count-over' : 'hint count';
      clearTimeout(timer);
      timer = setTimeout(function () { live.textContent = text; }, 1000);
    }
    field.addEventListener('input', count);
    if (field.value) count();
  });
  // A form page shown again from the back-forward cache may be out of date (the answers were sent):
  // ask the server, which knows.
  window.addEventListener('pageshow', function (e) { if (e.persisted) location.reload(); });
  var summary = d.querySelector('.error-summary');
  if (summary) summary.focus();
})();
