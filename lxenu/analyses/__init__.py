"""Stage 5, analyses: the magnetic-moment and sterile fits, the anomalies, today's landscape.

It holds the magnetic-moment and sterile-neutrino fits (the paper's and with every
piece of event information), the gallium and reactor anomalies, the SOX comparison, today's
landscape of detectors and limits, and the summary of headline numbers.

Start with :class:`~lxenu.analyses.magnetic_moment.MagneticMomentFit` and
:class:`~lxenu.analyses.sterile.SterileFit`.
"""
