// Fill 纬度/经度 from the browser's geolocation; the officer can still edit them.
(function () {
  var button = document.getElementById("locate");
  var status = document.getElementById("locate-status");
  var lat = document.getElementById("id_latitude");
  var lon = document.getElementById("id_longitude");
  if (!button || !lat || !lon || !navigator.geolocation) return;
  button.hidden = false;
  function fill() {
    status.textContent = "正在定位…";
    navigator.geolocation.getCurrentPosition(function (pos) {
      lat.value = pos.coords.latitude.toFixed(6);
      lon.value = pos.coords.longitude.toFixed(6);
      status.textContent = "已填写（精度约 " + Math.round(pos.coords.accuracy) + " 米），可修改。";
    }, function (err) {
      status.textContent = "无法定位：" + err.message;
    }, { enableHighAccuracy: true, timeout: 15000 });
  }
  button.addEventListener("click", fill);
  if (!lat.value && !lon.value) fill();
})();
