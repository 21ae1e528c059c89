document.addEventListener("DOMContentLoaded", function () {
  document.body.dataset.dashboardJs = "loaded";
});
