"""The reader's core: pure Python, never imports Qt.

Data flows one way: files -> core records (:mod:`reader.core.post`) -> the Qt models
in :mod:`reader.ui`. Everything here is testable without a display.
"""
