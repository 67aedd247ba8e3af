"""Demo history: a reproducible, realistic seller history written in bulk (``seller-desk seed``)."""
