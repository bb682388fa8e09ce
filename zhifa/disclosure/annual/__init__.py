"""行政执法统计年报: figures by query (figures), the published snapshot (report), charts and
exports, staff and public reads (selectors) and the submit service (services)."""
