"""Stage 4, statistics: chi^2, likelihoods with nuisances, Feldman–Cousins, coverage, CLs.

It holds the Poisson and Gaussian chi^2, confidence-level conventions,
likelihoods with profiled normalisations, Feldman–Cousins constructions, coverage and CLs.

These work on arrays of predicted and observed counts (or on any object that supplies
them), not on experiments; the analyses of :mod:`lxenu.analyses` bring the two together.
"""
