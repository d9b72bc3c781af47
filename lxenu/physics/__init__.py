"""Stage 2, physics: scattering, decays, oscillations, solar neutrinos, attenuation.

It holds nu-e scattering with a magnetic moment, atomic binding, oscillations,
beta and double-beta decay spectra, double electron capture, solar neutrinos, photon
attenuation and the source's impurity gammas.

Functions of energies and of the experiment's data (:mod:`lxenu.experiment.experiment`), never of a
prediction. Importing this package registers the background components of lxenu
(:func:`lxenu.experiment.backgrounds.register_component`).
"""

from . import backgrounds, double_ec, solar  # noqa: F401  (registers the background components)
