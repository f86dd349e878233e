// "You said, we did" summaries: a live count of the SMS segments each one costs, as the server
// counts them (SmsSegments): GSM-7 160 septets or 153 a part, else UCS-2 70 units or 67 a part.
(function () {
  var basic = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
    '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
  var extension = '^{}\\[~]|€\f';
  function count(text) {
    var septets = 0;
    for (var i = 0; i < text.length; i++) {
      var c = text.charAt(i);
      if (basic.indexOf(c) >= 0) septets += 1;
      else if (extension.indexOf(c) >= 0) septets += 2;
      else return {gsm: false, units: text.length, segments: text.length <= 70 ? 1 : Math.ceil(text.length / 67)};
    }
    return {gsm: true, units: septets, segments: septets <= 160 ? 1 : Math.ceil(septets / 153)};
  }
  var live = document.createElement('div');
  live.className = 'visually-hidden';
  live.setAttribute('aria-live', 'polite');
  document.body.appendChild(live);
  Array.prototype.forEach.call(document.querySelectorAll('textarea[data-sms-prefix]'), function (box) {
    var hint = document.getElementById(box.id + '-sms');
    var timer;
    box.addEventListener('input', function () {
      var c = count(box.getAttribute('data-sms-prefix') + box.value);
      hint.textContent = 'As a text message: ' + c.segments + (c.segments === 1 ? ' segment' : ' segments') +
        ' (' + (c.gsm ? 'GSM-7' : 'Unicode') + ', ' + c.units + ' characters). Past 2 segments it is cut at a word.';
      clearTimeout(timer);
      timer = setTimeout(function () { live.textContent = hint.textContent; }, 1000);
    });
  });
})();
