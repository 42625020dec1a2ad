"""Watching the outlets: crawl passes (fetch -> WARC -> capture -> store), withdrawals, alerts."""
