"""Stage 3, predictions: signal and backgrounds in (T, L, t) bins, and the detector response.

It holds the signal and each background as events in bins of (T, L, t), and
the detector response (energy smearing, the distance response of a finite source and vertex
resolution).

Everything here is a function of an :class:`~lxenu.experiment.experiment.Experiment` and the physics
of :mod:`lxenu.physics`; the statistics that compare predictions with data are in
:mod:`lxenu.stats`.
"""
