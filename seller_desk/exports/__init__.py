"""Writing what the seller sees to files they open elsewhere (CSV for scripts, XLSX for spreadsheets)."""
