"""Shared machinery of the reliability suite: processes, measurements, namespaces, result rows."""
