"""Dev/test stand-ins, never part of a production run: the Slack Web API double
(slack_double.py, slack_double_functions.py), the signed Slack request builder (slack_requests.py),
the HubSpot sandbox (sandbox/) and the offline demo (demo.py, demo_links.py).

The runtime imports this package only where `bookbot sandbox`, `bookbot demo` or
`bookbot run --sandbox` ask for it, and only inside the function that serves that path
(tests/test_import_rules.py holds the rule)."""
