// The demo page's copy button (kept out of the page: its Content-Security-Policy allows no inline script).
document.getElementById("copy").addEventListener("click", (event) => {
  navigator.clipboard.writeText(document.getElementById("snippet").textContent)
    .then(() => { event.target.textContent = "已复制"; });
});
