// Single-key actions on the review pages. Every action is also a link or a form
// that works without this script; here an element with data-key="k" is used when
// k is pressed outside a text field: a link is followed, a button pressed, a field
// focused (and a radio button chosen). Esc leaves a text field.
(function () {
  "use strict";
  var TYPING = "input:not([type=radio]):not([type=checkbox]), textarea, select, [contenteditable]";

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.isComposing) return;
    var target = event.target;
    if (target.closest && target.closest(TYPING)) {
      if (event.key === "Escape") target.blur();
      return;
    }
    var element = document.querySelector('[data-key="' + CSS.escape(event.key) + '"]');
    if (!element) return;
    event.preventDefault();
    if (element.tagName === "A") {
      window.location.assign(element.href);
    } else if (element.tagName === "BUTTON") {
      element.click();
    } else {
      if (element.type === "radio") element.checked = true;
      element.focus();
      if (element.tagName === "TEXTAREA") element.select();
    }
  });
})();
