"""Hand-written revisions; one file each, oldest first."""
