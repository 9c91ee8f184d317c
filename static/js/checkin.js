/*
 * The check-in desk, enhanced: scan a ticket's QR code with the camera instead of typing it.
 * Without a camera, without jsQR or without JavaScript the desk works the same by typing.
 * The decoded code goes into the code field and the form is submitted as if typed, so the
 * server decides everything; the hidden scan nonce makes a double submission harmless.
 */
(function () {
  "use strict";

  // A door can be busy: remember that the camera was on, and open it again after each answer.
  var REMEMBER = "checkin-camera";
  // The ticket just answered may still be in front of the camera: not the same code again at once.
  var LAST = "checkin-last-code";
  var PAUSE_SAME_CODE_MS = 4000;
  var MAX_WIDTH = 640; // enough pixels for a ticket's code, few enough to decode quickly
  var DECODE_EVERY_MS = 100; // ten tries a second find a code at once and spare a phone's battery

  var form = document.getElementById("checkin-form");
  var hasCamera = !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
  if (!form || !hasCamera || typeof window.jsQR !== "function") {
    return;
  }

  var code = form.querySelector("input[name='code']");
  var startButton = document.getElementById("camera-start");
  var stopButton = document.getElementById("camera-stop");
  var panel = document.getElementById("camera");
  var video = document.getElementById("camera-video");
  var message = document.getElementById("camera-message");
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  var stream = null;
  var lastTry = 0;

  function say(key) {
    message.textContent = key ? message.dataset[key] : "";
  }

  // Private browsing may refuse storage: the camera then simply stays off after an answer.
  function store(key, value) {
    try {
      if (value === null) {
        window.sessionStorage.removeItem(key);
      } else {
        window.sessionStorage.setItem(key, value);
      }
    } catch (ignored) {
      // nothing remembered, nothing lost
    }
  }

  function stored(key) {
    try {
      return window.sessionStorage.getItem(key);
    } catch (ignored) {
      return null;
    }
  }

  function remember(on) {
    store(REMEMBER, on ? "1" : null);
  }

  function justAnswered(text) {
    var last = stored(LAST);
    if (!last) {
      return false;
    }
    var space = last.indexOf(" ");
    return last.slice(space + 1) === text && Date.now() - Number(last.slice(0, space)) < PAUSE_SAME_CODE_MS;
  }

  function stop() {
    if (stream) {
      stream.getTracks().forEach(function (track) { track.stop(); });
      stream = null;
    }
    video.srcObject = null;
    panel.hidden = true;
    startButton.hidden = false;
  }

  function decode(now) {
    if (!stream) {
      return;
    }
    if (now - lastTry >= DECODE_EVERY_MS && video.readyState >= video.HAVE_ENOUGH_DATA && video.videoWidth) {
      lastTry = now;
      var scale = Math.min(1, MAX_WIDTH / video.videoWidth);
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var image = context.getImageData(0, 0, canvas.width, canvas.height);
      var found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      if (found && found.data && !justAnswered(found.data.trim())) {
        submit(found.data.trim());
        return;
      }
    }
    window.requestAnimationFrame(decode);
  }

  function submit(text) {
    stop();  // before submitting, so that one code is submitted once
    startButton.hidden = true;
    code.value = text;
    store(LAST, Date.now() + " " + text);
    if (typeof form.requestSubmit === "function") {
      form.requestSubmit();
    } else {
      form.submit();
    }
  }

  function start() {
    say("starting");
    startButton.hidden = true;
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (opened) {
        stream = opened;
        video.srcObject = stream;
        panel.hidden = false;
        remember(true);
        return video.play();
      })
      .then(function () {
        say("scanning");
        window.requestAnimationFrame(decode);
      })
      .catch(function () {
        stop();
        remember(false);
        say("failed");
      });
  }

  startButton.hidden = false;
  startButton.addEventListener("click", start);
  stopButton.addEventListener("click", function () {
    stop();
    remember(false);
    say("");
    code.focus();
  });
  // a page going into the back-forward cache must not keep the camera on
  window.addEventListener("pagehide", stop);

  if (stored(REMEMBER) === "1") {
    start();
  }
}());
