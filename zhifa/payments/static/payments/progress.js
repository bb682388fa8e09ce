// While a receipt import runs, reload its page every two seconds to show the progress.
(function () {
  var marker = document.querySelector("[data-refresh-seconds]");
  if (!marker) return;
  var seconds = parseInt(marker.getAttribute("data-refresh-seconds"), 10) || 2;
  window.setTimeout(function () { window.location.reload(); }, seconds * 1000);
})();
