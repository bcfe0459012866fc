document.getElementById("version").textContent = "release 1";
