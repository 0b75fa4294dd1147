"""Printable outputs: QR code sheets and reports as HTML and PDF (a surface, like the web)."""
