"""AcademicHub's nightly pipeline: fetch → match → dedupe → write Markdown → brief → report."""

__version__ = "0.1.0"
