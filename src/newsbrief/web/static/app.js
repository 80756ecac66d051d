// Citation markers open the cited source sentence in place (and close it on a second click).
// Without JavaScript the marker is a plain link to the sentence in its article.
"use strict";
document.addEventListener("click", function (event) {
  var marker = event.target.closest("a.cite");
  if (!marker) { return; }
  var popup = document.getElementById(marker.getAttribute("data-popup"));
  if (!popup) { return; }
  event.preventDefault();
  var opening = popup.hidden;
  popup.hidden = !opening;
  marker.setAttribute("aria-expanded", opening ? "true" : "false");
});
