"""`bookbot demo` also shows a workflow run of the step and a pasted link's unfurl."""

from __future__ import annotations

from pathlib import Path

from tests.test_cli import run


def test_demo_shows_a_workflow_run_that_books_and_an_unfurl_with_its_book_button(
    tmp_path: Path,
) -> None:
    done = run(["demo"], cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    workflow = out[out.index("runs the step “Book a HubSpot meeting”") :]
    assert "functions.completeSuccess" in workflow
    assert "join_url: https://" in workflow and "status: booked" in workflow
    unfurl = out[out.index("Booker unfurls it:") :]
    # As a person sees it: no mrkdwn stars, free times in words rather than <!date^…> markup.
    assert "│ Product Demo\n" in unfurl and "Organizer: Dana Whitaker" in unfurl
    assert "Next free: " in unfurl and "<!date^" not in unfurl and "[Book]" in unfurl
    assert "Meeting page: Product Demo" in unfurl
    assert "Traceback" not in out + done.stderr
