"""Benchmarks of mentoring_cms beside Wagtail's own form builder (``make bench``)."""
