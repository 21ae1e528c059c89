function copySnippet(button) {
  var text = document.getElementById("snippet").textContent;
  if (navigator.clipboard) {
    navigator.clipboard.writeText(text).catch(function () {});
  }
  button.textContent = "Copied";
}

document.addEventListener("DOMContentLoaded", function () {
  document.body.dataset.themeJs = "loaded";
});
