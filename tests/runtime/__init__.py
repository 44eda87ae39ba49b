"""Tests of the hand-written runtime copied into every generated client."""
