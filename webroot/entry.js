// Paper entry: Enter moves to the next box, so a whole form is keyed without the mouse.
// Without JavaScript, Tab moves and Enter saves: the form works either way.
document.addEventListener('keydown', function (event) {
  if (event.key !== 'Enter' || event.shiftKey || event.ctrlKey || event.altKey || event.metaKey) {
    return;
  }
  var field = event.target;
  var form = field.form;
  if (!form || form.id !== 'entry-form' || field.tagName !== 'INPUT') {
    return;
  }
  var boxes = Array.prototype.filter.call(form.elements, function (el) {
    return el.tagName === 'INPUT' && el.type === 'text';
  });
  var index = boxes.indexOf(field);
  if (index >= 0 && index < boxes.length - 1) {
    event.preventDefault();
    boxes[index + 1].focus();
    boxes[index + 1].select();
  }
});
