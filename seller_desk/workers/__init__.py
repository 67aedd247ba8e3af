"""The one bridge from Qt to background work: runners, operations, progress and cancellation."""
