"""The Qt layer: thin adapters (models, views, actions) over :mod:`reader.core`."""
