// The watch page without a reload: the player loads where the link was, and the time left counts down.
(function () {
  "use strict";

  function loadPlayer(placeholder) {
    var frame = document.createElement("iframe");
    frame.src = placeholder.dataset.playerSrc;
    frame.title = placeholder.dataset.playerTitle;
    frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
    frame.allowFullscreen = true;
    var wrapper = document.createElement("div");
    wrapper.className = "player-frame";
    wrapper.appendChild(frame);
    placeholder.replaceWith(wrapper);
    frame.focus();
  }

  document.querySelectorAll("[data-player-src]").forEach(function (placeholder) {
    var link = placeholder.querySelector("a");
    if (!link) { return; }
    link.addEventListener("click", function (event) {
      event.preventDefault();
      loadPlayer(placeholder);
    });
  });

  function formatLeft(milliseconds) {
    var minutes = Math.max(0, Math.round(milliseconds / 60000));
    var hours = Math.floor(minutes / 60);
    var rest = minutes % 60;
    return hours > 0 ? hours + " h " + rest + " min" : rest + " min";
  }

  document.querySelectorAll("[data-countdown]").forEach(function (element) {
    var opens = Date.parse(element.dataset.countdown);
    function tick() {
      var left = opens - Date.now();
      if (left <= 0) { window.location.reload(); return; }
      element.textContent = " " + element.dataset.template.replace("{t}", formatLeft(left));
    }
    tick();
    window.setInterval(tick, 30000);
  });
}());
