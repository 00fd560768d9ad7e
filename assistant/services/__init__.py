"""Service functions behind the tools and routes (thin routes call these)."""
