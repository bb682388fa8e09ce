// Buttons marked data-print print the page (an onclick= attribute would be refused by the CSP).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
