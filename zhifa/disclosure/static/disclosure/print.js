// The 打印 button of the printable 核验卡: a static script, since the pages' CSP allows no inline handlers.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
