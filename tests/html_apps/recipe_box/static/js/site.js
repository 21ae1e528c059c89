document.addEventListener("DOMContentLoaded", function () {
  document.getElementById("year").textContent = String(new Date().getFullYear());
  document.body.dataset.siteJs = "loaded";
});
