// Sortable and filterable trial tables, series toggles and a value readout for charts. No dependencies.
(function () {
  "use strict";

  function cellValue(cell) {
    var text = cell.textContent.trim();
    var number = parseFloat(text.replace("∞", "Infinity").replace("−", "-"));
    return { text: text, number: isNaN(number) ? null : number };
  }

  function sortBy(table, column, header) {
    var body = table.tBodies[0];
    var descending = header.getAttribute("aria-sort") === "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) { th.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", descending ? "descending" : "ascending");
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a.cells[column]), y = cellValue(b.cells[column]);
      var order;
      if (x.number !== null && y.number !== null) order = x.number - y.number;
      else if (x.number !== null) order = -1;
      else if (y.number !== null) order = 1;
      else order = x.text.localeCompare(y.text);
      return descending ? -order : order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  function filterRows(table, query, output) {
    var terms = query.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0, rows = table.tBodies[0].rows;
    Array.prototype.forEach.call(rows, function (row) {
      var text = row.textContent.toLowerCase();
      var match = terms.every(function (term) { return text.indexOf(term) >= 0; });
      row.hidden = !match;
      if (match) shown++;
    });
    output.value = shown + " of " + rows.length + " rows";
  }

  document.querySelectorAll("table.trials").forEach(function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, column) {
      var button = th.querySelector("button.sort");
      if (button) button.addEventListener("click", function () { sortBy(table, column, th); });
    });
    var filter = table.closest("section.trial-table").querySelector(".filter");
    var input = filter.querySelector("input"), output = filter.querySelector("output");
    input.addEventListener("input", function () { filterRows(table, input.value, output); });
    filterRows(table, "", output);
  });

  document.querySelectorAll("figure.chart").forEach(function (chart) {
    var readout = chart.querySelector(".readout");
    chart.querySelectorAll(".legend button").forEach(function (button) {
      button.addEventListener("click", function () {
        var on = button.getAttribute("aria-pressed") !== "true";
        button.setAttribute("aria-pressed", on ? "true" : "false");
        chart.querySelectorAll('g.series[data-series="' + button.dataset.series + '"]').forEach(function (g) { g.style.display = on ? "" : "none"; });
      });
    });
    chart.querySelectorAll("circle[data-x]").forEach(function (point) {
      point.addEventListener("mouseenter", function () {
        readout.textContent = point.closest("g.series").dataset.name + ": " + chart.dataset.xlabel + " = " + point.dataset.x + ", " + point.dataset.y;
      });
    });
  });
})();
