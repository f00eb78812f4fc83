"""One module per scenario; each has run(ctx) yielding rel.result.Row."""
