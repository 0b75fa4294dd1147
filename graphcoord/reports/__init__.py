"""Generated reports (HTML, charts, PDF when a renderer is installed)."""
